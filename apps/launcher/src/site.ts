import { spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from './config/env';
import { processCommand, waitForProcessExit } from './processes';

export interface Site {
  /** Rejects when the site's process ends before stop(). */
  failed: Promise<never>;
  stop(): Promise<void>;
}

const STOP_TIMEOUT_MS = 10_000;
const frontendDir = join(REPO_ROOT, 'apps', 'frontend');

/** The Next.js site (`next start` on the production build), its output in `<dataDir>/site.log`. */
export function startSite(options: { dataDir: string; port: number; apiUrl: string }): Site {
  if (!existsSync(join(frontendDir, '.next', 'BUILD_ID'))) {
    throw new Error('the site is not built: run `pnpm build` (pnpm start does it), or START_FRONTEND=false');
  }
  const nextBin = join(
    dirname(require.resolve('next/package.json', { paths: [frontendDir] })),
    'dist/bin/next',
  );
  const logFile = join(options.dataDir, 'site.log');
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, [nextBin, 'start', '--port', String(options.port)], {
    cwd: frontendDir,
    // eslint-disable-next-line no-restricted-properties -- Next.js reads its own environment
    env: { ...process.env, API_URL: options.apiUrl, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', log, log],
  });
  const pidFile = join(options.dataDir, 'site.pid');
  if (child.pid) writeFileSync(pidFile, `${child.pid}\n`);
  let stopping = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`the site did not start: ${error.message}`)));
    child.once('exit', (code, signal) => {
      if (!stopping)
        reject(new Error(`the site stopped unexpectedly (${signal ?? `exit code ${code}`}); see ${logFile}`));
    });
  });
  failed.catch(() => undefined);
  return {
    failed,
    stop: async () => {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(killer);
      }
      rmSync(pidFile, { force: true });
    },
  };
}

/** A site left running by a launcher that was killed holds the port; the next start stops it. */
export async function stopLeftoverSite(dataDir: string, notice: (message: string) => void): Promise<void> {
  const pidFile = join(dataDir, 'site.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  rmSync(pidFile);
  const command = Number.isInteger(pid) && pid > 0 ? processCommand(pid) : null;
  if (!command || !command.includes('next')) return;
  notice(`stopping the site (PID ${pid}) left running by an earlier start`);
  process.kill(pid, 'SIGTERM');
  if (!(await waitForProcessExit(pid, STOP_TIMEOUT_MS))) process.kill(pid, 'SIGKILL');
}

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO_ROOT, type LauncherConfig } from './config/env';
import { processCommand, waitForProcessExit } from './processes';

export interface Site {
  /** Rejects when the site's process ends before stop(). */
  failed: Promise<never>;
  stop(): Promise<void>;
}

const STOP_TIMEOUT_MS = 10_000;
/** Next.js's standalone server, as the site's image runs it; `pnpm build` leaves it with its static files. */
const SITE_SERVER = join(REPO_ROOT, 'apps/frontend/.next/standalone/apps/frontend/server.js');

/** Starts the site's server on `port` (every interface), reaching the API at `apiUrl`; output to `log`. */
export function spawnSiteServer(options: {
  port: number;
  apiUrl: string;
  log: number;
  env: NodeJS.ProcessEnv;
}): ChildProcess {
  if (!existsSync(SITE_SERVER)) {
    throw new Error('the site is not built: run `pnpm build` (pnpm start does it)');
  }
  return spawn(process.execPath, [SITE_SERVER], {
    cwd: dirname(SITE_SERVER),
    env: {
      ...options.env,
      API_URL: options.apiUrl,
      PORT: String(options.port),
      HOSTNAME: '0.0.0.0',
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
    },
    stdio: ['ignore', options.log, options.log],
  });
}

/** The site's settings for its RabbitMQ management and adminer links; empty: the site shows none. */
export type SiteLinks = Record<'RABBITMQ_MANAGEMENT_URL' | 'ADMINER_URL', string>;

/**
 * Links only to what is there (the site's own default, the standard ports on its host, would point at
 * nothing, or at an unrelated RabbitMQ): the management UI given for AMQP_URL's broker, and an adminer
 * given in the settings, as the launcher runs none.
 */
export function siteLinks(
  config: Pick<LauncherConfig, 'AMQP_URL' | 'RABBITMQ_MANAGEMENT_URL' | 'ADMINER_URL'>,
): SiteLinks {
  return {
    RABBITMQ_MANAGEMENT_URL: (config.AMQP_URL && config.RABBITMQ_MANAGEMENT_URL) || '',
    ADMINER_URL: config.ADMINER_URL ?? '',
  };
}

/** The Next.js site, its output in `<dataDir>/site.log`. */
export function startSite(options: {
  dataDir: string;
  port: number;
  apiUrl: string;
  links: SiteLinks;
}): Site {
  const logFile = join(options.dataDir, 'site.log');
  const child = spawnSiteServer({
    port: options.port,
    apiUrl: options.apiUrl,
    log: openSync(logFile, 'a'),
    // eslint-disable-next-line no-restricted-properties -- Next.js reads its own environment
    env: { ...process.env, ...options.links },
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

/**
 * A site left running by a launcher that was killed holds the port; the next start stops it (once it
 * holds the data directory's lock, so the launcher that started the site is known to be gone).
 */
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

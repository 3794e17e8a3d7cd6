/**
 * Drives the start command from outside, as a person or a script would: the launcher tests and the
 * launcher bench use it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { REPO_ROOT } from '../config/env';
const LAUNCHER_MAIN = join(REPO_ROOT, 'apps/launcher/dist/main.js');

export interface LauncherPorts {
  postgres: number;
  api: number;
  trainer: number;
  scheduler: number;
  frontend: number;
}

/** Ports nothing listens on right now (the OS hands out a fresh one each time). */
export async function freePorts(): Promise<LauncherPorts> {
  const ports: number[] = [];
  const servers = await Promise.all(
    Array.from({ length: 5 }, () => {
      const server = createServer();
      return new Promise<typeof server>((done) => server.listen(0, () => done(server)));
    }),
  );
  for (const server of servers) {
    ports.push((server.address() as { port: number }).port);
    await new Promise((done) => server.close(done));
  }
  const [postgres, api, trainer, scheduler, frontend] = ports as [number, number, number, number, number];
  return { postgres, api, trainer, scheduler, frontend };
}

/** The launcher's settings for a system on `dataDir` with these ports; the site starts when `site` is true. */
export function launcherSettings(dataDir: string, ports: LauncherPorts, { site }: { site: boolean }) {
  return {
    DATA_DIR: dataDir,
    EMBEDDED_POSTGRES_PORT: String(ports.postgres),
    API_PORT: String(ports.api),
    TRAINER_PORT: String(ports.trainer),
    SCHEDULER_PORT: String(ports.scheduler),
    FRONTEND_PORT: String(ports.frontend),
    START_FRONTEND: String(site),
  };
}

export interface RunningLauncher {
  process: ChildProcess;
  /** Seconds from spawning the command to the "ready" line (the site, when started, answers by then). */
  secondsToReady: number;
  /** What the launcher itself printed as its start time. */
  reportedSeconds: number;
  adminEmail: string;
  /** Null when the ready message says it was changed on the site. */
  adminPassword: string | null;
  output(): string;
  /** Sends `signal` and waits for the exit; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Runs the start command with only the given settings, and waits for its "ready" line. By default
 * node apps/launcher/dist/main.js, what `pnpm start` runs after its build; or `pnpm start` itself, for
 * what pnpm adds (its handling of signals).
 */
export async function startLauncher(
  settings: Record<string, string>,
  { command = 'node', timeoutMs = 120_000 }: { command?: 'node' | 'pnpm start'; timeoutMs?: number } = {},
): Promise<RunningLauncher> {
  const startedAt = Date.now();
  const [file, args] = command === 'node' ? [process.execPath, [LAUNCHER_MAIN]] : ['pnpm', ['start']];
  const child = spawn(file, args, {
    cwd: REPO_ROOT,
    // Only what a person's shell would have, so DATABASE_URL / AMQP_URL from the test's own environment
    // never leak in.
    env: {
      // eslint-disable-next-line no-restricted-properties -- the command runs with the caller's PATH and HOME
      PATH: process.env.PATH ?? '',
      // eslint-disable-next-line no-restricted-properties -- see above
      HOME: process.env.HOME ?? '/tmp',
      LOG_LEVEL: 'warn',
      ...settings,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));

  const ready = await new Promise<RegExpMatchArray>((done, fail) => {
    const timer = setTimeout(() => {
      clearInterval(poll);
      // Stop what it started before failing, so nothing outlives the test.
      child.kill('SIGINT');
      void exited.then(() =>
        fail(new Error(`the launcher was not ready within ${timeoutMs / 1000} s; its output:\n${output}`)),
      );
    }, timeoutMs);
    const poll = setInterval(() => {
      const match = /Foreman is ready in ([\d.]+) s/.exec(output);
      if (match) {
        clearInterval(poll);
        clearTimeout(timer);
        done(match);
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(poll);
      clearTimeout(timer);
      fail(new Error(`the launcher exited with code ${code} before it was ready; its output:\n${output}`));
    });
  });
  const secondsToReady = (Date.now() - startedAt) / 1000;
  const signIn = /sign in as (\S+) with (?:password (\S+)|the password set on the site)/.exec(output);
  if (!signIn) throw new Error(`the ready message does not say how to sign in:\n${output}`);

  return {
    process: child,
    secondsToReady,
    reportedSeconds: Number(ready[1]),
    adminEmail: signIn[1]!,
    adminPassword: signIn[2] ?? null,
    output: () => output,
    stop: async (signal = 'SIGINT') => {
      if (child.exitCode !== null) return child.exitCode;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** The admin password the ready message printed (it prints none once the admin changed it on the site). */
export function printedPassword(launcher: RunningLauncher): string {
  if (launcher.adminPassword === null) throw new Error(`no admin password printed:\n${launcher.output()}`);
  return launcher.adminPassword;
}

/** PostgreSQL servers still running on this data directory (there must be none after a stop). */
export function postgresProcessesOn(dataDir: string): string[] {
  const lines = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).split('\n');
  return lines.filter(
    (line) => line.includes('postgres') && line.includes(`-D ${join(dataDir, 'postgres')}`),
  );
}

/** The process and every process below it (children, their children, ...). */
export function processTree(pid: number): number[] {
  const parents = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
  }
  return tree;
}

/**
 * The services as separate processes, as production runs them (one `node apps/<app>/dist/main.js` each),
 * on a throw-away database of the machine's PostgreSQL and a throw-away vhost of its RabbitMQ, so a bench
 * never touches another system's rows or queues.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@foreman/database/testing';
import { createTestVhost, type TestVhost } from '@foreman/messaging/testing';
import { REPO_ROOT } from '../../config/env';
import { freePorts } from '../../harness/launcher-process';
import { waitForHttp } from '../../progress';
import { spawnSiteServer } from '../../site';

export type ServiceName = 'api' | 'trainer' | 'scheduler' | 'site';

export interface ServiceProcess {
  name: ServiceName;
  pid: number;
  port: number;
  logFile: string;
}

export interface RunningServices {
  databaseUrl: string;
  amqpUrl: string;
  apiUrl: string;
  siteUrl: string | null;
  adminEmail: string;
  adminPassword: string;
  services: ServiceProcess[];
  /** Stops every process, then drops the database and the vhost. */
  stop(): Promise<void>;
}

const ADMIN_EMAIL = 'bench-admin@foreman.local';
const ADMIN_PASSWORD = 'bench-admin-password-1';

/** Starts the database and vhost, then api, trainer and scheduler (and the site when asked). */
export async function startServices(options: {
  site?: boolean;
  /** Extra settings per service, e.g. the trainer's batch sizes. */
  env?: Partial<Record<ServiceName, Record<string, string>>>;
}): Promise<RunningServices> {
  const logDir = mkdtempSync(join(tmpdir(), 'foreman-bench-services-'));
  const [database, vhost] = await Promise.all([createTestDatabase(), createTestVhost()]);
  const ports = await freePorts();
  const children: { name: ServiceName; child: ChildProcess }[] = [];
  const stop = async () => {
    for (const { child } of children) if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.all(children.map(({ child }) => exited(child, 15_000)));
    await dropQuietly(database, vhost);
    rmSync(logDir, { recursive: true, force: true });
  };
  try {
    const shared = {
       
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      DATABASE_URL: database.url,
      EVENT_TRANSPORT: 'rabbitmq',
      AMQP_URL: vhost.url,
    };
    const specs: { name: ServiceName; port: number; env: Record<string, string> }[] = [
      {
        name: 'api',
        port: ports.api,
        env: {
          RUN_MIGRATIONS: 'false',
          ADMIN_EMAIL,
          ADMIN_PASSWORD,
          COOKIE_SECURE: 'false',
          SIGN_IN_ATTEMPTS_PER_MINUTE: '1000',
        },
      },
      { name: 'trainer', port: ports.trainer, env: {} },
      { name: 'scheduler', port: ports.scheduler, env: {} },
    ];
    const services: ServiceProcess[] = [];
    for (const spec of specs) {
      const main = join(REPO_ROOT, 'apps', spec.name, 'dist', 'main.js');
      if (!existsSync(main)) throw new Error(`${main} is missing: build first`);
      const logFile = join(logDir, `${spec.name}.log`);
      const log = openSync(logFile, 'a');
      const child = spawn(process.execPath, [main], {
        cwd: join(REPO_ROOT, 'apps', spec.name),
        env: { ...shared, ...spec.env, ...options.env?.[spec.name], PORT: String(spec.port) },
        stdio: ['ignore', log, log],
      });
      children.push({ name: spec.name, child });
      services.push({ name: spec.name, pid: child.pid!, port: spec.port, logFile });
    }
    await Promise.all(
      services.map((service, index) =>
        waitForHttp(`http://127.0.0.1:${service.port}/health`, {
          timeoutMs: 120_000,
          failed: diedEarly(children[index]!.child, service),
        }),
      ),
    );

    let siteUrl: string | null = null;
    if (options.site) {
      const site = startSiteProcess(ports.frontend, `http://127.0.0.1:${ports.api}`, logDir);
      children.push({ name: 'site', child: site.child });
      services.push(site.service);
      siteUrl = `http://127.0.0.1:${ports.frontend}`;
      await waitForHttp(`${siteUrl}/sign-in`, { timeoutMs: 120_000, failed: diedEarly(site.child, site.service) });
    }
    return {
      databaseUrl: database.url,
      amqpUrl: vhost.url,
      apiUrl: `http://127.0.0.1:${ports.api}`,
      siteUrl,
      adminEmail: ADMIN_EMAIL,
      adminPassword: ADMIN_PASSWORD,
      services,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The site as its image runs it: Next.js's standalone server. */
function startSiteProcess(
  port: number,
  apiUrl: string,
  logDir: string,
): { child: ChildProcess; service: ServiceProcess } {
  const logFile = join(logDir, 'site.log');
  const child = spawnSiteServer({
    port,
    apiUrl,
    log: openSync(logFile, 'a'),
    // (the PATH alone: no setting of this shell reaches the site)
    env: { PATH: process.env.PATH ?? '' },
  });
  return { child, service: { name: 'site', pid: child.pid!, port, logFile } };
}

function diedEarly(child: ChildProcess, service: ServiceProcess): Promise<never> {
  const failed = new Promise<never>((_, reject) =>
    child.once('exit', (code) =>
      reject(new Error(`${service.name} exited with code ${code}:\n${logTail(service.logFile, 20)}`)),
    ),
  );
  failed.catch(() => undefined);
  return failed;
}

async function exited(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await new Promise((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
}

async function dropQuietly(database: TestDatabase, vhost: TestVhost): Promise<void> {
  await Promise.all([database.drop(), vhost.drop()]).catch((error: unknown) =>
    console.warn(`could not drop the bench database or vhost: ${(error as Error).message}`),
  );
}

export function logTail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** A process and its descendants (in case a server forks workers). */
export function processTree(pid: number): number[] {
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    const parent = tree[i]!;
    for (const task of safeReaddir(`/proc/${parent}/task`)) {
      const children = safeRead(`/proc/${parent}/task/${task}/children`).trim();
      if (children) tree.push(...children.split(/\s+/).map(Number));
    }
  }
  return tree;
}

/** VmHWM (peak resident set) and VmRSS of a process, in MiB; null when it has gone. */
export function memoryOf(pid: number): { peakMiB: number; rssMiB: number } | null {
  const status = safeRead(`/proc/${pid}/status`);
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  const peak = field('VmHWM');
  const rss = field('VmRSS');
  return Number.isNaN(peak) ? null : { peakMiB: peak / 1024, rssMiB: rss / 1024 };
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

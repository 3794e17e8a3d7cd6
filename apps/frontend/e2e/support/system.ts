/**
 * The whole system for the browser tests: a fresh database and RabbitMQ vhost, the built API, trainer and
 * scheduler, and the site's standalone server pointed at the API, each a child process on a free port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

export const ADMIN = { email: 'admin@e2e.test', password: 'e2e-admin-password-1' };

const FRONTEND_DIR = path.resolve(__dirname, '..', '..');
const REPO_DIR = path.resolve(FRONTEND_DIR, '..', '..');
const LOG_DIR = path.join(FRONTEND_DIR, 'test-results', 'services');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface Service {
  name: string;
  url: string;
  stop(): Promise<void>;
}

function startProcess(name: string, args: string[], cwd: string, env: Record<string, string>): ChildProcess {
  mkdirSync(LOG_DIR, { recursive: true });
  const log = createWriteStream(path.join(LOG_DIR, `${name}.log`));
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return child;
}

async function waitUntilUp(name: string, url: string, child: ChildProcess, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? -1;
  });
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`${name} exited with code ${exited}; see test-results/services/${name}.log`);
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${name} did not answer ${url} within ${timeoutMs} ms; see test-results/services/${name}.log`);
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
}

export async function startNodeService(
  name: string,
  app: string,
  port: number,
  env: Record<string, string>,
  healthPath = '/health',
): Promise<Service> {
  const cwd = path.join(REPO_DIR, 'apps', app);
  const child = startProcess(name, ['dist/main.js'], cwd, { ...env, PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilUp(name, `${url}${healthPath}`, child);
  return { name, url, stop: stopper(child) };
}

/** The site as its image runs it: the standalone server `pnpm build` leaves, with its static files. */
export async function startFrontend(port: number, apiUrl: string, name = 'frontend'): Promise<Service> {
  const server = path.join(FRONTEND_DIR, '.next', 'standalone', 'apps', 'frontend', 'server.js');
  const child = startProcess(name, [server], path.dirname(server), {
    API_URL: apiUrl,
    PORT: String(port),
    HOSTNAME: '127.0.0.1',
    NODE_ENV: 'production',
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilUp(name, `${url}/sign-in`, child);
  return { name, url, stop: stopper(child) };
}

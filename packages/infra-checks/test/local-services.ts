/**
 * Runs services outside Docker with the environment compose gives them: the compose hosts `db` and
 * `rabbitmq` become this machine's PostgreSQL (a fresh, empty database) and RabbitMQ (a fresh vhost, with a
 * user of its own whose password is the one compose puts in AMQP_URL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { createEmptyDatabase, testServerUrl } from '@foreman/database/testing';
import { createTestVhost } from '@foreman/messaging/testing';
import { loadCompose } from '../src/compose';
import { productionEnv } from './production-env';

const management = new URL(process.env.TEST_RABBITMQ_MANAGEMENT_URL ?? 'http://guest:guest@127.0.0.1:15672');
export const brokerHost = new URL(process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672').host;

async function rabbitmqManagement(method: string, path: string, body?: unknown): Promise<void> {
  const auth = Buffer.from(
    `${decodeURIComponent(management.username)}:${decodeURIComponent(management.password)}`,
  );
  const response = await fetch(new URL(path, management.origin), {
    method,
    headers: { authorization: `Basic ${auth.toString('base64')}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`RabbitMQ management ${method} ${path}: ${response.status}`);
}

export interface LocalServices {
  /** Each compose service's environment, hosts pointed at this machine. */
  environments: Record<string, Record<string, string>>;
  vhost: string;
  /** Starts `node <script>` with an environment and waits until `healthPath` answers 200; returns its port. */
  start(name: string, script: string, env: Record<string, string>, options?: StartOptions): Promise<number>;
  /** Stops what was started, drops the database, the vhost and the user. */
  close(): Promise<void>;
}

export interface StartOptions {
  cwd?: string;
  healthPath?: string;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForHealth(
  port: number,
  path: string,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  // Generous: CI shares two cores with other test files' servers.
  const deadline = Date.now() + 90_000;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${output()}`);
    last = await fetch(`http://127.0.0.1:${port}${path}`).then(
      async (response) => `${response.status} ${await response.text()}`,
      (error: Error) => error.message,
    );
    if (last.startsWith('200 ')) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`not healthy within 90 s (last: ${last}): ${output()}`);
}

export async function localServices(): Promise<LocalServices> {
  const user = `foreman_it_${randomBytes(4).toString('hex')}`;
  const [db, vhost] = await Promise.all([createEmptyDatabase(), createTestVhost()]);
  const children: ChildProcess[] = [];
  const server = new URL(testServerUrl());
  const env = productionEnv({
    POSTGRES_USER: decodeURIComponent(server.username) || 'postgres',
    POSTGRES_DB: db.name,
    RABBITMQ_USER: user,
  });
  await rabbitmqManagement('PUT', `/api/users/${user}`, { password: env.get('RABBITMQ_PASSWORD'), tags: '' });
  await rabbitmqManagement('PUT', `/api/permissions/${vhost.name}/${user}`, {
    configure: '.*',
    write: '.*',
    read: '.*',
  });
  const { services } = loadCompose(env);
  const environments = Object.fromEntries(
    Object.entries(services).map(([name, service]) => [
      name,
      Object.fromEntries(
        Object.entries(service.environment ?? {}).map(([key, value]) => [
          key,
          value
            .replace('@db:5432/', `@${server.host}/`)
            .replace('@rabbitmq:5672', `@${brokerHost}/${vhost.name}`),
        ]),
      ),
    ]),
  );

  return {
    environments,
    vhost: vhost.name,
    async start(name, script, startEnv, { cwd, healthPath = '/health' } = {}) {
      const port = await freePort();
      const child = spawn(process.execPath, [script], {
        cwd,
        env: { PATH: process.env.PATH ?? '', ...startEnv, PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      let output = '';
      child.stdout!.on('data', (chunk) => (output += chunk));
      child.stderr!.on('data', (chunk) => (output += chunk));
      await waitForHealth(port, healthPath, child, () => `${name}: ${output.slice(-2000)}`);
      return port;
    },
    async close() {
      for (const child of children) child.kill('SIGTERM');
      await Promise.all(
        children.map((child) =>
          child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : undefined,
        ),
      );
      await Promise.all([
        db.drop(),
        vhost.drop(),
        rabbitmqManagement('DELETE', `/api/users/${user}`).catch(() => undefined),
      ]);
    },
  };
}

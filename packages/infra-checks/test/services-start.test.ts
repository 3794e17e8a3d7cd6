/**
 * The services start outside Docker with the environment compose gives them (this is how CI runs them):
 * the migrate command, then api, trainer and scheduler from their dist/main.js, with the compose hosts
 * pointed at this machine's PostgreSQL and RabbitMQ (a fresh database, and a fresh vhost with its own user).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createEmptyDatabase, testServerUrl, type TestDatabase } from '@foreman/database/testing';
import { createTestVhost, type TestVhost } from '@foreman/messaging/testing';
import { REPO_ROOT, loadCompose } from '../src/compose';
import { productionEnv } from './production-env';

const management = new URL(process.env.TEST_RABBITMQ_MANAGEMENT_URL ?? 'http://guest:guest@127.0.0.1:15672');
const brokerHost = new URL(process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672').host;

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

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForHealth(
  port: number,
  child: ChildProcess,
  output: () => string,
  path = '/health',
): Promise<number> {
  // Generous: CI shares two cores with other test files' servers.
  const deadline = Date.now() + 90_000;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${output()}`);
    last = await fetch(`http://127.0.0.1:${port}${path}`).then(
      async (response) => `${response.status} ${await response.text()}`,
      (error: Error) => error.message,
    );
    if (last.startsWith('200 ')) return 200;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`not healthy within 90 s (last: ${last}): ${output()}`);
}

describe('the services start with the compose environment', () => {
  const user = `foreman_it_${randomBytes(4).toString('hex')}`;
  let db: TestDatabase;
  let vhost: TestVhost;
  let environments: Record<string, Record<string, string>>;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    [db, vhost] = await Promise.all([createEmptyDatabase(), createTestVhost()]);
    const server = new URL(testServerUrl());
    const env = productionEnv({
      POSTGRES_USER: decodeURIComponent(server.username) || 'postgres',
      POSTGRES_DB: db.name,
      RABBITMQ_USER: user,
    });
    // A broker user of its own, with the password compose puts in the services' AMQP_URL.
    await rabbitmqManagement('PUT', `/api/users/${user}`, {
      password: env.get('RABBITMQ_PASSWORD'),
      tags: '',
    });
    await rabbitmqManagement('PUT', `/api/permissions/${vhost.name}/${user}`, {
      configure: '.*',
      write: '.*',
      read: '.*',
    });
    const { services } = loadCompose(env);
    // Only the host names change: the compose network's db and rabbitmq are this machine's servers.
    environments = Object.fromEntries(
      ['migrate', 'api', 'trainer', 'scheduler', 'frontend'].map((name) => [
        name,
        Object.fromEntries(
          Object.entries(services[name]!.environment!).map(([key, value]) => [
            key,
            value
              .replace('@db:5432/', `@${server.host}/`)
              .replace('@rabbitmq:5672', `@${brokerHost}/${vhost.name}`),
          ]),
        ),
      ]),
    );
  });

  afterAll(async () => {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(
      children.map((child) =>
        child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : undefined,
      ),
    );
    await Promise.all([
      db?.drop(),
      vhost?.drop(),
      rabbitmqManagement('DELETE', `/api/users/${user}`).catch(() => undefined),
    ]);
  });

  it('migrates once with the migrate service command, then api, trainer, scheduler and the site report healthy', async () => {
    const migrate = spawnSync(
      process.execPath,
      [join(REPO_ROOT, 'packages/database/dist/migrate.js'), 'up'],
      {
        env: { PATH: process.env.PATH ?? '', ...environments.migrate },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(migrate.stderr).toBe('');
    expect(migrate.stdout).toMatch(/^applied: /);

    const ports: Record<string, number> = {};
    const start = async (name: string, script: string, env: Record<string, string>, healthPath?: string) => {
      ports[name] = await freePort();
      const child = spawn(process.execPath, [join(REPO_ROOT, script)], {
        env: { PATH: process.env.PATH ?? '', ...env, PORT: String(ports[name]) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      let output = '';
      child.stdout!.on('data', (chunk) => (output += chunk));
      child.stderr!.on('data', (chunk) => (output += chunk));
      return [name, await waitForHealth(ports[name]!, child, () => output.slice(-2000), healthPath)] as const;
    };
    const started = await Promise.all(
      ['api', 'trainer', 'scheduler'].map((app) =>
        start(app, `apps/${app}/dist/main.js`, { ...environments[app], LOG_LEVEL: 'warn' }),
      ),
    );
    expect(Object.fromEntries(started)).toEqual({ api: 200, trainer: 200, scheduler: 200 });

    // The site's image runs Next's standalone server; through it, /api/health reaches the API at API_URL.
    const site = environments.frontend!;
    expect(site.API_URL).toBe('http://api:4000');
    expect(
      await start(
        'frontend',
        'apps/frontend/.next/standalone/apps/frontend/server.js',
        { ...site, API_URL: `http://127.0.0.1:${ports.api}`, HOSTNAME: '127.0.0.1' },
        '/api/health',
      ),
    ).toEqual(['frontend', 200]);
  }, 150_000);

  it('refuses to start in production with a default password, saying which setting', () => {
    const result = spawnSync(process.execPath, [join(REPO_ROOT, 'apps/api/dist/main.js')], {
      env: {
        PATH: process.env.PATH ?? '',
        ...environments.api,
        AMQP_URL: `amqp://guest:guest@${brokerHost}/${vhost.name}`,
      },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('AMQP_URL: must not use a well-known default password in production');
    expect(result.stderr).not.toContain('guest:guest');
  });
});

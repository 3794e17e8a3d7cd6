import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { ConfigError } from '@foreman/contracts';
import { runMigrations } from '@foreman/database';
import { LocalEventHub } from '@foreman/messaging';
import { REPO_ROOT, loadLauncherConfig, type LauncherConfig } from './config/env';
import { startEmbeddedPostgres } from './embedded-postgres';
import { step, waitForHttp } from './progress';
import { startServiceWorker, type ServiceSpec } from './service-workers';

/** A secret generated on first start and kept in the data directory, so restarts reuse it. */
function persistentSecret(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(12).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

function appMain(app: string): string {
  return join(REPO_ROOT, 'apps', app, 'dist', 'main.js');
}

async function main(): Promise<void> {
  const config = loadLauncherConfig();
  mkdirSync(config.DATA_DIR, { recursive: true });
  const startedAt = Date.now();
  console.log('Foreman is starting:');

  const database = config.DATABASE_URL
    ? { url: config.DATABASE_URL, stop: async () => undefined }
    : await step(
        `embedded PostgreSQL on port ${config.EMBEDDED_POSTGRES_PORT} (data in ${config.DATA_DIR})`,
        () =>
          startEmbeddedPostgres({
            dataDir: config.DATA_DIR,
            port: config.EMBEDDED_POSTGRES_PORT,
            password: persistentSecret(join(config.DATA_DIR, 'postgres-password')),
          }),
      );
  const workers: Worker[] = [];
  let frontend: ChildProcess | null = null;
  let stopping = false;

  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nForeman is stopping…');
    frontend?.kill('SIGTERM');
    await Promise.all(workers.map((worker) => worker.terminate()));
    await database.stop();
    console.log('stopped.');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    await step('database migrations', () => runMigrations(database.url));
    const adminPassword = config.ADMIN_PASSWORD ?? persistentSecret(join(config.DATA_DIR, 'admin-password'));
    const hub = config.AMQP_URL ? null : new LocalEventHub();
    const shared = {
      NODE_ENV: 'development',
      LOG_LEVEL: config.LOG_LEVEL,
      DATABASE_URL: database.url,
      ...(config.AMQP_URL
        ? { EVENT_TRANSPORT: 'rabbitmq', AMQP_URL: config.AMQP_URL }
        : { EVENT_TRANSPORT: 'local' }),
      // eslint-disable-next-line no-restricted-properties -- the services need the shell's PATH, not a setting
      PATH: process.env.PATH ?? '',
    };
    const services: ServiceSpec[] = [
      {
        name: 'api',
        main: appMain('api'),
        env: {
          ...shared,
          PORT: String(config.API_PORT),
          RUN_MIGRATIONS: 'false',
          ADMIN_EMAIL: config.ADMIN_EMAIL,
          ADMIN_PASSWORD: adminPassword,
          COOKIE_SECURE: 'false',
          SEED_DEMO: 'true',
        },
      },
      {
        name: 'trainer',
        main: appMain('trainer'),
        env: { ...shared, PORT: String(config.TRAINER_PORT) },
        consumer: 'trainer',
      },
      {
        name: 'scheduler',
        main: appMain('scheduler'),
        env: { ...shared, PORT: String(config.SCHEDULER_PORT) },
        consumer: 'scheduler',
      },
    ];

    for (const service of services) {
      const port = service.env.PORT!;
      await step(`${service.name} on port ${port}`, async () => {
        const worker = startServiceWorker(service, hub);
        workers.push(worker);
        worker.on('exit', (code) => {
          if (!stopping) {
            console.error(`${service.name} stopped unexpectedly (exit code ${code})`);
            void shutdown(1);
          }
        });
        await waitForHttp(`http://127.0.0.1:${port}/health`);
      });
    }

    if (config.START_FRONTEND) {
      await step(`site on port ${config.FRONTEND_PORT}`, async () => {
        frontend = startFrontend(config);
        await waitForHttp(`http://127.0.0.1:${config.FRONTEND_PORT}/`);
      });
    }

    const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
    const site = config.START_FRONTEND
      ? `http://localhost:${config.FRONTEND_PORT}`
      : `http://localhost:${config.API_PORT}`;
    console.log(`
Foreman is ready in ${seconds} s: ${site}
  sign in as ${config.ADMIN_EMAIL} with password ${adminPassword}
  API and its OpenAPI docs: http://localhost:${config.API_PORT}/docs
  database: ${config.DATABASE_URL ? 'DATABASE_URL' : 'embedded PostgreSQL'}; events: ${config.AMQP_URL ? 'RabbitMQ' : 'in-process'}
Press Ctrl-C to stop.`);
  } catch (error) {
    console.error(`Foreman failed to start: ${(error as Error).message}`);
    await shutdown(1);
  }
}

function startFrontend(config: LauncherConfig): ChildProcess {
  const frontendDir = join(REPO_ROOT, 'apps', 'frontend');
  const nextBin = join(
    dirname(require.resolve('next/package.json', { paths: [frontendDir] })),
    'dist/bin/next',
  );
  return spawn(process.execPath, [nextBin, 'start', '--port', String(config.FRONTEND_PORT)], {
    cwd: frontendDir,
    // eslint-disable-next-line no-restricted-properties -- Next.js reads its own environment
    env: { ...process.env, API_URL: `http://127.0.0.1:${config.API_PORT}`, NODE_ENV: 'production' },
    stdio: 'ignore',
  });
}

main().catch((error: unknown) => {
  console.error(
    error instanceof ConfigError ? error.message : `Foreman failed to start: ${(error as Error).message}`,
  );
  process.exit(1);
});

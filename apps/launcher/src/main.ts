import { performance } from 'node:perf_hooks';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@foreman/contracts';
import { adminSignsInWith } from './admin-password';
import { REPO_ROOT, loadLauncherConfig, type LauncherConfig } from './config/env';
import { lockDataDir } from './data-dir-lock';
import { startEmbeddedPostgres, stopLeftoverPostgres, type EmbeddedDatabase } from './embedded-postgres';
import { assertPortsFree, type PortClaim } from './ports';
import { notice, step, waitForHttp } from './progress';
import { persistentSecret } from './secrets';
import { startServiceWorker, type ServiceSpec, type ServiceWorker } from './service-workers';
import { siteLinks, startSite, stopLeftoverSite, type Site } from './site';

type Database = Pick<EmbeddedDatabase, 'url' | 'stop'> & { embedded: boolean };

/**
 * Under `pnpm start`, a terminal's Ctrl-C reaches the launcher twice: from the terminal, and at once again
 * from pnpm, which passes it on. A signal this soon after the first is that same request.
 */
const SAME_STOP_REQUEST_MS = 500;

/** Where the API, trainer and scheduler listen: this machine only (the site listens on every interface). */
const SERVICES_HOST = '127.0.0.1';

/** Everything started so far, stopped in reverse: site, services, then PostgreSQL. */
class RunningSystem {
  database: Promise<Database> | null = null;
  readonly services: ServiceWorker[] = [];
  site: Site | null = null;
  private stopRequestedAt: number | null = null;

  get isStopping(): boolean {
    return this.stopRequestedAt !== null;
  }

  /**
   * A part ended on its own: stop the rest. During a stop it is expected (a terminal's Ctrl-C reaches
   * PostgreSQL and the site directly, as they share the launcher's process group).
   */
  fail(message: string): void {
    if (this.isStopping) return;
    console.error(message);
    void this.stop(1);
  }

  async stop(code: number): Promise<never> {
    if (this.stopRequestedAt !== null) {
      if (Date.now() - this.stopRequestedAt > SAME_STOP_REQUEST_MS) {
        console.log('  (still stopping; PostgreSQL is being shut down cleanly)');
      }
      return new Promise<never>(() => undefined);
    }
    this.stopRequestedAt = Date.now();
    const database = await this.database?.catch(() => null);
    if (!database) process.exit(code); // nothing started
    console.log('\nForeman is stopping:');
    try {
      if (this.site) await step('site', () => this.site!.stop());
      for (const service of this.services) await step(service.name, () => service.stop());
      if (database.embedded) await step('PostgreSQL', () => database.stop());
      console.log('Foreman stopped.');
    } catch (error) {
      console.error(`Foreman did not stop cleanly: ${(error as Error).message}`);
      code ||= 1;
    }
    process.exit(code);
  }
}

function appMain(app: string): string {
  return join(REPO_ROOT, 'apps', app, 'dist', 'main.js');
}

async function main(system: RunningSystem): Promise<void> {
  const config = loadLauncherConfig();
  console.log('Foreman is starting:');
  mkdirSync(config.DATA_DIR, { recursive: true });
  const embedded = !config.DATABASE_URL;

  // First: a PostgreSQL or site found below is then known to be a killed launcher's, not a running one's.
  lockDataDir(config.DATA_DIR);
  if (embedded) await stopLeftoverPostgres(config.DATA_DIR, notice);
  await stopLeftoverSite(config.DATA_DIR, notice);
  await assertPortsFree(portClaims(config));

  system.database = embedded
    ? step<Database>(
        `embedded PostgreSQL on port ${config.EMBEDDED_POSTGRES_PORT} (data in ${config.DATA_DIR})`,
        async () => {
          const database = await startEmbeddedPostgres({
            dataDir: config.DATA_DIR,
            port: config.EMBEDDED_POSTGRES_PORT,
            password: persistentSecret(join(config.DATA_DIR, 'postgres-password')),
            notice,
          });
          database.onUnexpectedExit((code) =>
            system.fail(
              `embedded PostgreSQL stopped unexpectedly (exit code ${code}); see ${config.DATA_DIR}/postgres.log`,
            ),
          );
          return { ...database, embedded: true };
        },
      )
    : Promise.resolve({ url: config.DATABASE_URL!, stop: async () => undefined, embedded: false });
  const database: Database = await system.database;
  if (system.isStopping) return;

  // TypeORM and NestJS load only now, so a bad setting or a taken port is reported at once.
  const [{ runMigrations }, { LocalEventHub }] = await Promise.all([
    import('@foreman/database'),
    import('@foreman/messaging'),
  ]);
  await step('database migrations', () => runMigrations(database.url));
  const adminPassword = config.ADMIN_PASSWORD ?? persistentSecret(join(config.DATA_DIR, 'admin-password'));
  const hub = config.AMQP_URL ? null : new LocalEventHub();
  if (system.isStopping) return;
  // All three at once: faster, and every consumer is attached to the hub before the API can publish (the
  // hub keeps no queue for a consumer that is not there yet).
  const started = serviceSpecs(config, database.url, adminPassword).map((service) => {
    const worker = startServiceWorker(service, hub);
    system.services.push(worker);
    return { worker, port: service.env.PORT! };
  });
  await Promise.all(
    started.map(({ worker, port }) =>
      step(`${worker.name} on port ${port}`, () =>
        waitForHttp(`http://${SERVICES_HOST}:${port}/health`, { failed: worker.failed }),
      ),
    ),
  );
  for (const service of system.services) {
    service.failed.catch((error: unknown) => system.fail((error as Error).message));
  }

  if (config.START_FRONTEND && !system.isStopping) {
    await step(`site on port ${config.FRONTEND_PORT}`, async () => {
      system.site = startSite({
        dataDir: config.DATA_DIR,
        port: config.FRONTEND_PORT,
        apiUrl: `http://${SERVICES_HOST}:${config.API_PORT}`,
        links: siteLinks(config),
      });
      await waitForHttp(`http://127.0.0.1:${config.FRONTEND_PORT}/`, { failed: system.site.failed });
    });
    system.site!.failed.catch((error: unknown) => system.fail((error as Error).message));
  }
  if (system.isStopping) return;
  const signIn = (await adminSignsInWith(database.url, config.ADMIN_EMAIL, adminPassword))
    ? `with password ${adminPassword}`
    : 'with the password set on the site (the one first given no longer works)';

  // From the moment node started, so the figure is what a person waits after typing the command (less
  // pnpm's build check).
  const seconds = (performance.now() / 1000).toFixed(1);
  const address = config.START_FRONTEND
    ? `http://localhost:${config.FRONTEND_PORT}`
    : `http://${SERVICES_HOST}:${config.API_PORT} (API only: START_FRONTEND=false)`;
  console.log(`
Foreman is ready in ${seconds} s: ${address}
  sign in as ${config.ADMIN_EMAIL} ${signIn}
  API and its OpenAPI docs: http://${SERVICES_HOST}:${config.API_PORT}/docs (this machine only)
  database: ${embedded ? `embedded PostgreSQL, data in ${config.DATA_DIR} (delete it to start afresh)` : 'DATABASE_URL'}
  events: ${config.AMQP_URL ? 'RabbitMQ (AMQP_URL)' : 'in-process'}
Press Ctrl-C to stop.`);
}

function portClaims(config: LauncherConfig): PortClaim[] {
  return [
    ...(config.DATABASE_URL
      ? []
      : [{ setting: 'EMBEDDED_POSTGRES_PORT', port: config.EMBEDDED_POSTGRES_PORT, host: '127.0.0.1' }]),
    { setting: 'API_PORT', port: config.API_PORT, host: SERVICES_HOST },
    { setting: 'TRAINER_PORT', port: config.TRAINER_PORT, host: SERVICES_HOST },
    { setting: 'SCHEDULER_PORT', port: config.SCHEDULER_PORT, host: SERVICES_HOST },
    ...(config.START_FRONTEND ? [{ setting: 'FRONTEND_PORT', port: config.FRONTEND_PORT }] : []),
  ];
}

function serviceSpecs(config: LauncherConfig, databaseUrl: string, adminPassword: string): ServiceSpec[] {
  const shared = {
    NODE_ENV: 'development',
    LOG_LEVEL: config.LOG_LEVEL,
    // Only the site is for users: the API (with its /docs) and every /metrics stay on this machine, where
    // the site reaches the API.
    HOST: SERVICES_HOST,
    DATABASE_URL: databaseUrl,
    ...(config.AMQP_URL
      ? { EVENT_TRANSPORT: 'rabbitmq', AMQP_URL: config.AMQP_URL }
      : { EVENT_TRANSPORT: 'local' }),
    // eslint-disable-next-line no-restricted-properties -- the services need the shell's PATH, not a setting
    PATH: process.env.PATH ?? '',
  };
  return [
    {
      name: 'api',
      main: appMain('api'),
      env: {
        ...shared,
        PORT: String(config.API_PORT),
        // The launcher has applied them already.
        RUN_MIGRATIONS: 'false',
        ADMIN_EMAIL: config.ADMIN_EMAIL,
        ADMIN_PASSWORD: adminPassword,
        // The site is served over plain http on localhost.
        COOKIE_SECURE: 'false',
        // The site's server on this machine names each browser's address; a client that reaches the API
        // port directly from elsewhere is counted by its own.
        TRUST_PROXY: 'loopback',
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
}

const system = new RunningSystem();
// Installed before anything starts, so a Ctrl-C during the start stops what has started so far.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void system.stop(0));

main(system).catch((error: unknown) => {
  console.error(
    error instanceof ConfigError ? error.message : `Foreman failed to start: ${(error as Error).message}`,
  );
  void system.stop(1);
});

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@foreman/database/testing';
import { createTestVhost, type TestVhost } from '@foreman/messaging/testing';
import { ApiSession, digitsOracle, eventually, labelWithOracle } from '../src/harness/api-session';
import {
  freePorts,
  printedPassword,
  startLauncher,
  type RunningLauncher,
} from '../src/harness/launcher-process';

/**
 * The same start command with DATABASE_URL and AMQP_URL set connects to them as in production: no
 * embedded PostgreSQL, events through RabbitMQ (a fresh database and vhost on the machine's servers).
 */
describe('the start command with DATABASE_URL and AMQP_URL', () => {
  jest.setTimeout(150_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'foreman-launcher-external-'));
  let database: TestDatabase;
  let vhost: TestVhost;
  let launcher: RunningLauncher | null = null;

  beforeAll(async () => {
    [database, vhost] = await Promise.all([createTestDatabase(), createTestVhost()]);
  });

  afterAll(async () => {
    await launcher?.stop('SIGINT');
    await Promise.all([database?.drop(), vhost?.drop()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('uses that PostgreSQL and RabbitMQ: the demo is seeded there and labels reach the trainer', async () => {
    const ports = await freePorts();
    launcher = await startLauncher({
      DATABASE_URL: database.url,
      AMQP_URL: vhost.url,
      DATA_DIR: dataDir,
      API_PORT: String(ports.api),
      TRAINER_PORT: String(ports.trainer),
      SCHEDULER_PORT: String(ports.scheduler),
      START_FRONTEND: 'false',
    });
    expect(launcher.output()).not.toMatch(/embedded PostgreSQL on port/);
    expect(launcher.output()).toMatch(/events: RabbitMQ/);
    expect(existsSync(join(dataDir, 'postgres'))).toBe(false);

    const api = await ApiSession.signIn(
      `http://127.0.0.1:${ports.api}`,
      launcher.adminEmail,
      printedPassword(launcher),
    );
    const demo = await eventually('the "Digits (demo)" project', async () =>
      (await api.projects()).find((project) => project.name === 'Digits (demo)'),
    );
    expect((await api.progress(demo.id)).total).toBe(1797);

    // Label events go API outbox -> RabbitMQ -> trainer (the demo retrains every 10 labels, or 30 s
    // after the first): the model version it writes shows the whole path works on the broker.
    await labelWithOracle(api, demo.id, digitsOracle(), 10);
    const models = await eventually(
      'a model version trained from labels sent through RabbitMQ',
      async () => {
        const versions = await api.models(demo.id);
        return versions.length > 0 ? versions : null;
      },
      60_000,
    );
    expect(Math.max(...models.map((model) => model.labelCount))).toBeGreaterThan(0);

    expect(await launcher.stop('SIGTERM')).toBe(0);
    launcher = null;
    expect(await api.call('GET', '/health').catch((error: Error) => error.message)).toMatch(/fetch failed/);
  });
});

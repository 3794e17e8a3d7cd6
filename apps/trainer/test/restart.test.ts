import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { EVENT_TYPES, type RankingComputedEvent } from '@foreman/contracts';
import { createTestDatabase, type TestDatabase } from '@foreman/database/testing';
import { createTestVhost, type TestVhost } from '@foreman/messaging/testing';
import { BrokerProbe, seedDigitsProject, waitFor, type SeededProject } from './support/digits-project';

/** The built trainer as its own process, with its log lines collected. */
function startTrainer(env: Record<string, string>): { child: ChildProcess; logs: string[] } {
  const logs: string[] = [];
  const child = spawn(process.execPath, [join(__dirname, '../dist/main.js')], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'info', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (chunk: Buffer) => logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  return { child, logs };
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

describe('a trainer killed in the middle of a training', () => {
  let db: TestDatabase;
  let vhost: TestVhost;
  let sql: Client;
  let broker: BrokerProbe;
  let seeded: SeededProject;
  let running: ChildProcess | null = null;

  beforeAll(async () => {
    [db, vhost] = await Promise.all([createTestDatabase(), createTestVhost()]);
    seeded = await seedDigitsProject(db.url, { itemCount: 150, labelled: 40 });
    sql = new Client({ connectionString: db.url });
    await sql.connect();
    broker = await BrokerProbe.open(vhost.url);
  });

  afterAll(async () => {
    running?.kill('SIGKILL');
    await broker?.close();
    await sql?.end();
    await Promise.all([db?.drop(), vhost?.drop()]);
  });

  it('redoes the pending work once after a restart, and the ranking arrives', async () => {
    const settings = { DATABASE_URL: db.url, AMQP_URL: vhost.url, TRAINER_POLL_MS: '200' };
    // Many epochs: the first process is surely still training when it is killed.
    const first = startTrainer({ ...settings, TRAINER_EPOCHS: '1000' });
    running = first.child;
    await waitFor('the trainer consuming', () =>
      first.logs.some((line) => line.includes('consuming foreman.trainer')),
    );
    const rankings = await broker.observe([EVENT_TYPES.rankingComputed]);
    for (const event of seeded.labelEvents) await broker.publish(event.type, event);

    await waitFor('the training to start', () =>
      first.logs.some((line) => line.includes('training started')),
    );
    first.child.kill('SIGKILL');
    await exited(first.child);
    const { rows: afterKill } = await sql.query(
      `SELECT label_changes::int AS changes, trained_changes::int AS trained, training_started_at IS NOT NULL AS interrupted
         FROM training_state WHERE project_id = $1`,
      [seeded.projectId],
    );
    // Label events still unacked when it died come again after the restart; those recorded are durable.
    expect(afterKill).toEqual([{ changes: expect.any(Number), trained: 0, interrupted: true }]);
    expect(afterKill[0].changes).toBeGreaterThanOrEqual(10);
    expect((await sql.query(`SELECT 1 FROM model_versions`)).rowCount).toBe(0);

    const second = startTrainer({ ...settings, TRAINER_EPOCHS: '5' });
    running = second.child;
    const ranking = await waitFor(
      'the ranking after the restart',
      () =>
        rankings.find((event): event is RankingComputedEvent => event.type === EVENT_TYPES.rankingComputed),
      60_000,
    );
    expect(ranking.payload).toMatchObject({ modelVersion: 1, chunkIndex: 0, chunkCount: 1 });
    expect(ranking.payload.items).toHaveLength(110);
    expect(second.logs.some((line) => line.includes('the last training did not finish'))).toBe(true);

    // Once: one model version for the 40 labels, and nothing left to do.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const { rows: versions } = await sql.query(`SELECT version, label_count FROM model_versions`);
    expect(versions).toEqual([{ version: 1, label_count: 40 }]);
    const { rows: state } = await sql.query(
      `SELECT trained_changes::int AS trained, published_version AS published, training_started_at
         FROM training_state WHERE project_id = $1`,
      [seeded.projectId],
    );
    // The training covered at least every label change recorded before the kill (events redelivered
    // after the restart may land after its snapshot; their labels were in the data it read anyway).
    expect(state).toEqual([{ trained: expect.any(Number), published: 1, training_started_at: null }]);
    expect(state[0].trained).toBeGreaterThanOrEqual(afterKill[0].changes);
    second.child.kill('SIGKILL');
    await exited(second.child);
    running = null;
  }, 90_000);
});

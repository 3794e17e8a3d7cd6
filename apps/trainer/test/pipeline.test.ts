import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import {
  DEAD_LETTER_REASON_HEADER,
  EVENT_TYPES,
  buildEvent,
  type ModelTrainedEvent,
  type RankingComputedEvent,
} from '@foreman/contracts';
import { createTestDatabase, type TestDatabase } from '@foreman/database/testing';
import { createTestVhost, type TestVhost } from '@foreman/messaging/testing';
import { startTestTrainer } from './support/test-trainer';
import { BrokerProbe, seedDigitsProject, waitFor, type SeededProject } from './support/digits-project';

describe('label events in, model versions and rankings out (digits project)', () => {
  let db: TestDatabase;
  let vhost: TestVhost;
  let app: INestApplication;
  let sql: Client;
  let broker: BrokerProbe;
  let seeded: SeededProject;
  let observed: Awaited<ReturnType<BrokerProbe['observe']>>;

  const settled = async () => {
    const { rows } = await sql.query(
      `SELECT label_changes::int AS changes, trained_changes::int AS trained, published_version AS published,
              (SELECT coalesce(max(version), 0) FROM model_versions WHERE project_id = $1) AS latest
         FROM training_state WHERE project_id = $1`,
      [seeded.projectId],
    );
    return rows[0];
  };

  beforeAll(async () => {
    [db, vhost] = await Promise.all([createTestDatabase(), createTestVhost()]);
    // Retrain after 1 s of quiet (or 100 new labels): the whole burst makes one or two trainings.
    seeded = await seedDigitsProject(db.url, {
      itemCount: 300,
      labelled: 60,
      retrainEveryLabels: 100,
      retrainAfterSeconds: 1,
    });
    sql = new Client({ connectionString: db.url });
    await sql.connect();
    app = await startTestTrainer(
      { databaseUrl: db.url, amqpUrl: vhost.url },
      { TRAINER_EPOCHS: '20', RANKING_CHUNK_SIZE: '100' },
    );
    broker = await BrokerProbe.open(vhost.url);
    observed = await broker.observe([EVENT_TYPES.modelTrained, EVENT_TYPES.rankingComputed]);
  });

  afterAll(async () => {
    await broker?.close();
    await app?.close();
    await sql?.end();
    await Promise.all([db?.drop(), vhost?.drop()]);
  });

  it('trains a few model versions for a burst of 60 label events, stores their quality and ranks the pool', async () => {
    for (const event of seeded.labelEvents) await broker.publish(event.type, event);
    // A redelivered event (same id) changes nothing.
    await broker.publish(seeded.labelEvents[0]!.type, seeded.labelEvents[0]);

    const state = await waitFor(
      'every label change trained and published',
      async () => {
        const current = await settled();
        return (
          current?.trained === 60 && current.latest > 0 && current.published === current.latest && current
        );
      },
      75_000,
    );
    expect(state.changes).toBe(60);
    // Debounced: a handful of trainings, not one per label (nor one per 10).
    expect(state.latest).toBeGreaterThanOrEqual(1);
    expect(state.latest).toBeLessThanOrEqual(2);

    const { rows: versions } = await sql.query(
      `SELECT version, label_count, metrics, training_ms, backend, trained_at, artifacts IS NOT NULL AS saved
         FROM model_versions WHERE project_id = $1 ORDER BY version`,
      [seeded.projectId],
    );
    expect(versions.map((row) => row.version)).toEqual(versions.map((_, index) => index + 1));
    const latest = versions[versions.length - 1];
    expect(latest).toMatchObject({ label_count: 60, backend: 'wasm', saved: true });
    expect(latest.training_ms).toBeGreaterThan(0);
    expect(latest.metrics.evaluation).toBe('k-fold');
    expect(latest.metrics.evaluatedOn).toBe(60);
    // Well above chance (0.1) after 20 epochs on 48 digits per fold: 0.72-0.91 over 20 seeds (at 6 epochs one
    // seed in 20 stayed at chance, and failed this test); the benchmark measures real quality.
    expect(latest.metrics.accuracy).toBeGreaterThan(0.5);
    expect(latest.metrics.perClass.map((entry: { className: string }) => entry.className)).toEqual(
      Array.from({ length: 10 }, (_, digit) => String(digit)),
    );

    const trained = observed.filter(
      (event): event is ModelTrainedEvent => event.type === EVENT_TYPES.modelTrained,
    );
    expect(trained.map((event) => event.payload.modelVersion)).toContain(latest.version);
    expect(trained.find((event) => event.payload.modelVersion === latest.version)!.payload.metrics).toEqual(
      latest.metrics,
    );

    const chunks = await waitFor('every chunk of the latest ranking', () => {
      const found = observed.filter(
        (event): event is RankingComputedEvent =>
          event.type === EVENT_TYPES.rankingComputed && event.payload.modelVersion === latest.version,
      );
      return found.length === 3 && found;
    });
    const items = chunks
      .sort((a, b) => a.payload.chunkIndex - b.payload.chunkIndex)
      .flatMap((chunk) => {
        expect(chunk.payload).toMatchObject({ strategy: 'entropy', chunkCount: 3 });
        return chunk.payload.items;
      });
    expect(items.map((item) => item.rank)).toEqual(Array.from({ length: 240 }, (_, rank) => rank));
    expect(items.map((item) => item.itemId).sort((a, b) => a - b)).toEqual(seeded.unlabelledItemIds);
    for (const item of items) {
      expect(Number(item.predictedClass)).toBeGreaterThanOrEqual(0);
      expect(item.predictedProbability).toBeGreaterThan(0);
      expect(item.score).toBeGreaterThanOrEqual(0);
    }
    // Most uncertain first, but for the shuffled tenth, which says so.
    const byScore = items.filter((item) => !item.shuffled);
    expect(byScore.slice(1).every((item, index) => item.score <= byScore[index]!.score)).toBe(true);
    expect(items.length - byScore.length).toBeGreaterThan(10);
    expect(items.length - byScore.length).toBeLessThan(45);
  }, 90_000);

  it('dead-letters a malformed event with the reason and keeps consuming', async () => {
    const before = (await settled()).changes;
    await broker.publish(EVENT_TYPES.labelSubmitted, '{"not json');
    const bad = buildEvent(EVENT_TYPES.labelRetracted, seeded.projectId, {
      labelId: 1,
      itemId: seeded.unlabelledItemIds[0]!,
      labellerId: seeded.labellerId,
    });
    await broker.publish(EVENT_TYPES.labelRetracted, {
      ...bad,
      payload: { ...bad.payload, itemId: 'seven' },
    });
    await broker.publish(EVENT_TYPES.labelRetracted, bad);

    const collected: string[] = [];
    const reasons = await waitFor('two dead letters', async () => {
      const found: string[] = [];
      for (;;) {
        const message = await broker.channel.get('foreman.trainer.dead', { noAck: true });
        if (!message) break;
        found.push(String(message.properties.headers?.[DEAD_LETTER_REASON_HEADER]));
      }
      collected.push(...found);
      return collected.length >= 2 && collected;
    });
    expect(reasons[0]).toContain('malformed JSON');
    expect(reasons[1]).toContain('payload.itemId');
    // The valid event behind them was handled.
    await waitFor('the valid event after the bad ones', async () => (await settled()).changes === before + 1);
  });
});

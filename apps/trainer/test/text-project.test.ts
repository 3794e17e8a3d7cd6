import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { EVENT_TYPES, buildEvent, type RankingComputedEvent } from '@foreman/contracts';
import { createTestDatabase, type TestDatabase } from '@foreman/database/testing';
import { createTestVhost, type TestVhost } from '@foreman/messaging/testing';
import { createRandom } from '../src/random';
import { startTestTrainer } from './support/test-trainer';
import { BrokerProbe, seedProject, waitFor, type SeededProject } from './support/digits-project';

const TOPICS = {
  sport: ['goal', 'match', 'team', 'league', 'coach', 'striker', 'referee', 'season', 'cup', 'score'],
  cooking: ['oven', 'flour', 'recipe', 'simmer', 'garlic', 'bake', 'sauce', 'pan', 'butter', 'salt'],
};
const FILLER = ['the', 'a', 'was', 'and', 'today', 'really', 'after', 'with', 'new', 'their'];

/** A sentence of eight words, three of them from its topic, in a fixed pseudo-random order. */
function sentence(topic: keyof typeof TOPICS, random: () => number): string {
  const pick = (words: string[]) => words[Math.floor(random() * words.length)]!;
  const words = [
    ...Array.from({ length: 3 }, () => pick(TOPICS[topic])),
    ...Array.from({ length: 5 }, () => pick(FILLER)),
  ];
  return words.sort(() => random() - 0.5).join(' ');
}

describe('a text project gets models and rankings too', () => {
  let db: TestDatabase;
  let vhost: TestVhost;
  let app: INestApplication;
  let sql: Client;
  let broker: BrokerProbe;
  let seeded: SeededProject;
  let observed: Awaited<ReturnType<BrokerProbe['observe']>>;
  const random = createRandom(7);
  const items = Array.from({ length: 200 }, (_, index) => {
    const topic = index % 2 === 0 ? 'sport' : 'cooking';
    return { payload: { text: sentence(topic, random) }, truth: topic };
  });

  beforeAll(async () => {
    [db, vhost] = await Promise.all([createTestDatabase(), createTestVhost()]);
    seeded = await seedProject(
      db.url,
      { name: 'Headlines', classes: ['sport', 'cooking'], inputKind: 'text', shape: null },
      items,
      { labelled: 40, retrainEveryLabels: 100, retrainAfterSeconds: 1 },
    );
    sql = new Client({ connectionString: db.url });
    await sql.connect();
    app = await startTestTrainer({ databaseUrl: db.url, amqpUrl: vhost.url }, { TRAINER_EPOCHS: '20' });
    broker = await BrokerProbe.open(vhost.url);
    observed = await broker.observe([EVENT_TYPES.rankingComputed]);
  });

  afterAll(async () => {
    await broker?.close();
    await app?.close();
    await sql?.end();
    await Promise.all([db?.drop(), vhost?.drop()]);
  });

  it('learns the topics from 40 labelled texts and ranks the other 160 with its predictions', async () => {
    for (const event of seeded.labelEvents) await broker.publish(event.type, event);
    const ranking = await waitFor(
      'a ranking of the unlabelled texts',
      () =>
        observed.find((event): event is RankingComputedEvent => event.type === EVENT_TYPES.rankingComputed),
      75_000,
    );
    const {
      rows: [version],
    } = await sql.query(`SELECT version, metrics FROM model_versions WHERE project_id = $1`, [
      seeded.projectId,
    ]);
    expect(version.metrics.evaluatedOn).toBe(40);
    expect(version.metrics.accuracy).toBeGreaterThan(0.8);

    const ranked = ranking.payload.items;
    expect(ranked.map((item) => item.itemId).sort((a, b) => a - b)).toEqual(seeded.unlabelledItemIds);
    const truthOf = new Map(seeded.unlabelledItemIds.map((id, index) => [id, items[40 + index]!.truth]));
    const right = ranked.filter((item) => item.predictedClass === truthOf.get(item.itemId)).length;
    expect(right / ranked.length).toBeGreaterThan(0.8);
  }, 90_000);

  it('ranks again under a new strategy as soon as the settings change, without new labels', async () => {
    const before = observed.length;
    await sql.query(`UPDATE projects SET strategy = 'margin' WHERE id = $1`, [seeded.projectId]);
    await broker.publish(
      EVENT_TYPES.projectModelSettingsChanged,
      buildEvent(EVENT_TYPES.projectModelSettingsChanged, seeded.projectId, { changed: ['strategy'] }),
    );
    const ranking = await waitFor(
      'a ranking by margin',
      () =>
        observed
          .slice(before)
          .find((event): event is RankingComputedEvent => event.type === EVENT_TYPES.rankingComputed),
      75_000,
    );
    expect(ranking.payload).toMatchObject({ strategy: 'margin', modelVersion: 2 });
    expect(ranking.payload.items).toHaveLength(seeded.unlabelledItemIds.length);
  }, 90_000);
});

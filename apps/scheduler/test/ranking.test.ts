import {
  CONSUMER_QUEUES,
  DEAD_LETTER_REASON_HEADER,
  EVENT_TYPES,
  type RankingComputedEvent,
} from '@foreman/contracts';
import { RankingService } from '../src/ranking/ranking.service';
import {
  createProject,
  isProcessed,
  publishRaw,
  rankByScore,
  rankingEvent,
  servingOrder,
  startTestScheduler,
  waitFor,
  type TestScheduler,
} from './fixtures';

describe('applying rankings to the queue', () => {
  let scheduler: TestScheduler;

  beforeAll(async () => {
    scheduler = await startTestScheduler();
  });

  afterAll(async () => {
    await scheduler?.close();
  });

  const publish = (event: ReturnType<typeof rankingEvent>) =>
    publishRaw(scheduler.channel, EVENT_TYPES.rankingComputed, event);

  const queueUpdate = (projectId: string, modelVersion: number) =>
    waitFor(`queue.updated for model v${modelVersion}`, () =>
      scheduler.queueUpdates.find(
        (e) => e.projectId === projectId && e.payload.modelVersion === modelVersion,
      ),
    );

  it('serves items in the order of their scores, and says which model placed each item', async () => {
    const { projectId, itemIds } = await createProject(scheduler.sql, { items: 6 });
    const [a, b, c, d, e, f] = itemIds as [number, number, number, number, number, number];
    // f was labelled to completion after the model scored it; it must not come back.
    await scheduler.sql.query(`UPDATE items SET remaining_labels = 0, label_count = 1 WHERE id = $1`, [f]);
    expect(await servingOrder(scheduler.sql, projectId)).toEqual([a, b, c, d, e]);

    // e is not in the ranking: imported after the model scored the pool.
    const scores = new Map([
      [a, 0.1],
      [b, 0.9],
      [c, 0.5],
      [d, 0.7],
      [f, 0.95],
    ]);
    await publish(
      rankingEvent(projectId, { modelVersion: 1, strategy: 'margin', items: rankByScore(scores) }),
    );

    const update = await queueUpdate(projectId, 1);
    expect(await servingOrder(scheduler.sql, projectId)).toEqual([b, d, c, a, e]);
    expect(update.payload.itemsMoved).toBe(4);
    expect(update.payload.durationMs).toBeGreaterThanOrEqual(0);

    // What "why this item?" reads: the ranking's rows (f left out), and the strategy the project follows.
    const { rows } = await scheduler.sql.query(
      `SELECT r.item_id AS id, r.rank, r.score, s.applied_model_version AS "modelVersion",
              s.applied_strategy AS strategy
         FROM queue_ranks r JOIN project_queue_state s ON s.applied_ranking_id = r.ranking_id
        WHERE s.project_id = $1 ORDER BY r.rank`,
      [projectId],
    );
    expect(rows).toEqual([
      { id: b, rank: 1, score: 0.9, modelVersion: 1, strategy: 'margin' },
      { id: d, rank: 2, score: 0.7, modelVersion: 1, strategy: 'margin' },
      { id: c, rank: 3, score: 0.5, modelVersion: 1, strategy: 'margin' },
      { id: a, rank: 4, score: 0.1, modelVersion: 1, strategy: 'margin' },
    ]);
  });

  it('applies a multi-chunk ranking only once every chunk is in, and ignores an older model version', async () => {
    const { projectId, itemIds } = await createProject(scheduler.sql, { items: 6 });
    const v1 = rankByScore(new Map(itemIds.map((id, i) => [id, i]))); // last imported first
    await publish(rankingEvent(projectId, { modelVersion: 1, items: v1 }));
    await queueUpdate(projectId, 1);
    const v1Order = [...itemIds].reverse();
    expect(await servingOrder(scheduler.sql, projectId)).toEqual(v1Order);

    // Version 3 in two chunks, ranking the items in import order.
    const v3 = rankByScore(new Map(itemIds.map((id, i) => [id, 10 - i])));
    const first = rankingEvent(projectId, {
      modelVersion: 3,
      chunkIndex: 0,
      chunkCount: 2,
      items: v3.slice(0, 3),
    });
    const second = rankingEvent(projectId, {
      modelVersion: 3,
      chunkIndex: 1,
      chunkCount: 2,
      items: v3.slice(3),
    });
    await publish(second);
    await waitFor('the first chunk to be staged', () => isProcessed(scheduler.sql, second.id));
    expect(await servingOrder(scheduler.sql, projectId)).toEqual(v1Order);

    await publish(first);
    await queueUpdate(projectId, 3);
    expect(await servingOrder(scheduler.sql, projectId)).toEqual(itemIds);

    // Version 2 arrives late (out of order): complete, but older than the ranking in place.
    const late = rankingEvent(projectId, { modelVersion: 2, items: v1 });
    await publish(late);
    await waitFor('the late ranking to be handled', () => isProcessed(scheduler.sql, late.id));
    expect(await servingOrder(scheduler.sql, projectId)).toEqual(itemIds);
    const { rows } = await scheduler.sql.query(
      `SELECT r.model_version AS v, count(q.*)::int AS rows
         FROM queue_rankings r LEFT JOIN queue_ranks q ON q.ranking_id = r.id
        WHERE r.project_id = $1 GROUP BY r.model_version`,
      [projectId],
    );
    expect(rows).toEqual([{ v: 3, rows: 6 }]);
    expect(
      scheduler.queueUpdates.filter((e) => e.projectId === projectId).map((e) => e.payload.modelVersion),
    ).toEqual([1, 3]);
    // Nothing of the older rankings stays staged, and version 1's partition is gone.
    const staged = await scheduler.sql.query(`SELECT 1 FROM ranking_chunks WHERE project_id = $1`, [
      projectId,
    ]);
    expect(staged.rowCount).toBe(0);
  });

  it('handles a redelivered chunk once', async () => {
    const { projectId, itemIds } = await createProject(scheduler.sql, { items: 4 });
    const rankings = scheduler.app.get(RankingService);
    const items = rankByScore(new Map(itemIds.map((id, i) => [id, i])));
    const first = rankingEvent(projectId, {
      modelVersion: 5,
      chunkIndex: 0,
      chunkCount: 2,
      items: items.slice(0, 2),
    });
    const second = rankingEvent(projectId, {
      modelVersion: 5,
      chunkIndex: 1,
      chunkCount: 2,
      items: items.slice(2),
    });

    expect(await rankings.receiveChunk(first as RankingComputedEvent)).toEqual({
      kind: 'staged',
      received: 1,
      chunkCount: 2,
    });
    expect(await rankings.receiveChunk(first as RankingComputedEvent)).toEqual({ kind: 'duplicate' });
    expect(await rankings.receiveChunk(second as RankingComputedEvent)).toMatchObject({
      kind: 'applied',
      itemsRanked: 4,
    });
    expect(await rankings.receiveChunk(second as RankingComputedEvent)).toEqual({ kind: 'duplicate' });
    expect(await servingOrder(scheduler.sql, projectId)).toEqual([...itemIds].reverse());
  });

  it('refuses a ranking that names an item twice, and keeps the queue as it was', async () => {
    const { projectId, itemIds } = await createProject(scheduler.sql, { items: 3 });
    const rankings = scheduler.app.get(RankingService);
    const [a, b, c] = itemIds as [number, number, number];
    const twice = rankingEvent(projectId, {
      modelVersion: 1,
      items: [
        { itemId: c, score: 0.9, rank: 0 },
        { itemId: b, score: 0.5, rank: 1 },
        { itemId: c, score: 0.1, rank: 2 },
      ],
    });
    await expect(rankings.receiveChunk(twice as RankingComputedEvent)).rejects.toThrow(
      `the ranking names item ${c} more than once`,
    );
    expect(await servingOrder(scheduler.sql, projectId)).toEqual([a, b, c]);
    const written = await scheduler.sql.query(`SELECT 1 FROM queue_rankings WHERE project_id = $1`, [
      projectId,
    ]);
    expect(written.rowCount).toBe(0);
  });

  it('keeps the prediction that comes with a ranked item, and whether the shuffle placed it', async () => {
    const { projectId, itemIds } = await createProject(scheduler.sql, { items: 3 });
    const rankings = scheduler.app.get(RankingService);
    const event = rankingEvent(projectId, {
      modelVersion: 1,
      items: [
        { itemId: itemIds[1]!, score: 0.8, rank: 0, predictedClass: 'b', predictedProbability: 0.55 },
        { itemId: itemIds[0]!, score: 0.2, rank: 1, shuffled: true },
        { itemId: itemIds[2]!, score: 0.5, rank: 2 },
      ] as RankingComputedEvent['payload']['items'],
    });
    await rankings.receiveChunk(event as RankingComputedEvent);
    const { rows } = await scheduler.sql.query(
      `SELECT r.predicted_class AS c, r.predicted_probability AS p, r.shuffled
         FROM items i LEFT JOIN queue_ranks r ON r.item_id = i.id
        WHERE i.project_id = $1 ORDER BY i.id`,
      [projectId],
    );
    expect(rows).toEqual([
      { c: null, p: null, shuffled: true },
      { c: 'b', p: 0.55, shuffled: false },
      { c: null, p: null, shuffled: false },
    ]);
  });

  it('dead-letters a malformed ranking with the reason, and leaves the queue alone', async () => {
    const { projectId, itemIds } = await createProject(scheduler.sql, { items: 3 });
    const malformed = rankingEvent(projectId, { modelVersion: 1, items: [] });
    (malformed.payload as { items: unknown }).items = [{ itemId: itemIds[2], score: 'high', rank: 0 }];
    await publishRaw(scheduler.channel, EVENT_TYPES.rankingComputed, malformed);

    const dead = await waitFor(
      'the dead letter',
      async () =>
        (await scheduler.channel.get(CONSUMER_QUEUES.scheduler.deadLetterQueue, { noAck: true })) ||
        undefined,
    );
    expect(JSON.parse(dead.content.toString()).id).toBe(malformed.id);
    expect(String(dead.properties.headers?.[DEAD_LETTER_REASON_HEADER])).toMatch(
      /ranking\.computed\.v1: .*payload\.items\.0\.score/,
    );
    expect(await servingOrder(scheduler.sql, projectId)).toEqual(itemIds);
  });
});

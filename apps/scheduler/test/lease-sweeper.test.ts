import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { EVENT_TYPES } from '@foreman/contracts';
import {
  createProject,
  createUser,
  publishRaw,
  rankByScore,
  rankingEvent,
  startTestScheduler,
  waitFor,
  type TestScheduler,
} from './fixtures';

const SWEEP_SECONDS = 1;

describe('the lease sweeper', () => {
  let scheduler: TestScheduler;

  beforeAll(async () => {
    scheduler = await startTestScheduler({ LEASE_SWEEP_INTERVAL_SECONDS: String(SWEEP_SECONDS) });
  });

  afterAll(async () => {
    await scheduler?.close();
  });

  /** The next item the API's claim would serve a labeller: not leased, in import order (no ranking here). */
  const nextFree = async (projectId: string) => {
    const { rows } = await scheduler.sql.query<{ id: number }>(
      `SELECT id FROM items i WHERE project_id = $1 AND remaining_labels > 0
          AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.item_id = i.id)
        ORDER BY id LIMIT 1`,
      [projectId],
    );
    return rows[0]?.id;
  };

  it('gives expired leases back to the queue within one sweep interval, and counts them', async () => {
    const { projectId, itemIds } = await createProject(scheduler.sql, { items: 3 });
    const [first, second, third] = itemIds as [number, number, number];
    const [alice, bob] = [await createUser(scheduler.sql), await createUser(scheduler.sql)];
    // Alice's lease runs out in a second by the database clock; Bob's holds for ten minutes.
    await scheduler.sql.query(
      `INSERT INTO leases (project_id, item_id, labeller_id, expires_at) VALUES
         ($1, $2, $3, now() + interval '1 second'), ($1, $4, $5, now() + interval '10 minutes')`,
      [projectId, first, alice, second, bob],
    );
    expect(await nextFree(projectId)).toBe(third);
    const expiresAt = Date.now() + 1000;

    await waitFor(
      'the expired lease to be released',
      async () => (await nextFree(projectId)) === first,
      5000,
    );
    expect(Date.now() - expiresAt).toBeLessThanOrEqual(SWEEP_SECONDS * 1000 + 500);
    const { rows } = await scheduler.sql.query(`SELECT item_id AS "itemId" FROM leases`);
    expect(rows).toEqual([{ itemId: second }]);

    const metrics = await waitFor('the live-lease gauge', async () => {
      const { text } = await request(scheduler.app.getHttpServer()).get('/metrics').expect(200);
      return /^foreman_scheduler_leases_live 1$/m.test(text) && text;
    });
    expect(metrics).toMatch(/^foreman_scheduler_leases_expired_total 1$/m);
  });

  it('repairs remaining labels when an admin changes labels per item', async () => {
    const { projectId, itemIds } = await createProject(scheduler.sql, { items: 3, labelsPerItem: 1 });
    const [done, retracted] = itemIds as [number, number, number];
    const labeller = await createUser(scheduler.sql);
    // As the API leaves things: one live label on `done`, a retracted one on `retracted`.
    await scheduler.sql.query(
      `INSERT INTO labels (project_id, item_id, labeller_id, value, client_request_id, retracted_at) VALUES
         ($1, $2, $4, '{a}', 'r1', NULL), ($1, $3, $4, '{b}', 'r2', now())`,
      [projectId, done, retracted, labeller],
    );
    await scheduler.sql.query(`UPDATE items SET remaining_labels = 0, label_count = 1 WHERE id = $1`, [done]);
    const remaining = async () =>
      (
        await scheduler.sql.query<{ remaining: number }>(
          `SELECT remaining_labels AS remaining FROM items WHERE project_id = $1 ORDER BY id`,
          [projectId],
        )
      ).rows.map((row) => row.remaining);
    await waitFor('the first reconcile of the new project', async () => {
      const { rowCount } = await scheduler.sql.query(
        `SELECT 1 FROM project_queue_state WHERE project_id = $1 AND reconciled_labels_per_item = 1`,
        [projectId],
      );
      return rowCount === 1;
    });
    expect(await remaining()).toEqual([0, 1, 1]);

    await scheduler.sql.query(`UPDATE projects SET labels_per_item = 3 WHERE id = $1`, [projectId]);
    await waitFor('quotas raised to 3', async () => (await remaining()).join() === '2,3,3', 3000);

    await scheduler.sql.query(`UPDATE projects SET labels_per_item = 1 WHERE id = $1`, [projectId]);
    await waitFor('quotas lowered to 1', async () => (await remaining()).join() === '0,1,1', 3000);
  });

  it('deletes published outbox rows and processed-event records past the retention, and keeps the rest', async () => {
    const [oldPublished, recentPublished, oldPending, oldProcessed, recentProcessed] = Array.from(
      { length: 5 },
      () => randomUUID(),
    );
    // As the API's relay and the consumers leave them; the default retention is 168 hours.
    await scheduler.sql.query(
      `INSERT INTO outbox (event_id, event_type, envelope, created_at, published_at) VALUES
         ($1, 'label.submitted.v1', '{}', now() - interval '8 days', now() - interval '8 days'),
         ($2, 'label.submitted.v1', '{}', now() - interval '8 days', now() - interval '1 hour'),
         ($3, 'label.submitted.v1', '{}', now() - interval '8 days', NULL)`,
      [oldPublished, recentPublished, oldPending],
    );
    await scheduler.sql.query(
      `INSERT INTO processed_events (consumer, event_id, processed_at) VALUES
         ('trainer', $1, now() - interval '8 days'), ('scheduler', $2, now() - interval '6 days')`,
      [oldProcessed, recentProcessed],
    );
    // (only this test's rows: other tests in this file leave processed events of their own)
    const outbox = async () =>
      (
        await scheduler.sql.query(`SELECT event_id FROM outbox WHERE event_id = ANY($1) ORDER BY id`, [
          [oldPublished, recentPublished, oldPending],
        ])
      ).rows.map((row) => row.event_id);
    const processed = async () =>
      (
        await scheduler.sql.query(`SELECT event_id FROM processed_events WHERE event_id = ANY($1)`, [
          [oldProcessed, recentProcessed],
        ])
      ).rows.map((row) => row.event_id);

    await waitFor('the old outbox row to be deleted', async () => !(await outbox()).includes(oldPublished), 5000);
    await waitFor('the old processed event to be deleted', async () => !(await processed()).includes(oldProcessed));
    expect(await outbox()).toEqual([recentPublished, oldPending]);
    expect(await processed()).toEqual([recentProcessed]);
  });

  it('drops the ranking of a project deleted behind its back (adminer)', async () => {
    const { projectId, itemIds } = await createProject(scheduler.sql, { items: 3 });
    const items = rankByScore(new Map(itemIds.map((id, index) => [id, index])));
    await publishRaw(scheduler.channel, EVENT_TYPES.rankingComputed, rankingEvent(projectId, { modelVersion: 1, items }));
    const partition = await waitFor('the ranking to be applied', async () => {
      const { rows } = await scheduler.sql.query<{ id: number }>(
        `SELECT applied_ranking_id AS id FROM project_queue_state WHERE project_id = $1`,
        [projectId],
      );
      return rows[0]?.id && `queue_ranks_${rows[0].id}`;
    });
    const exists = async () =>
      (await scheduler.sql.query(`SELECT to_regclass($1) AS t`, [partition])).rows[0].t !== null;
    expect(await exists()).toBe(true);

    await scheduler.sql.query(`DELETE FROM projects WHERE id = $1`, [projectId]);
    await waitFor('the partition to be dropped', async () => !(await exists()), 5000);
  });
});

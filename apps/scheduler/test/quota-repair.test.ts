import { Client } from 'pg';
import { LeaseSweeperService } from '../src/leases/lease-sweeper.service';
import { QuotaService } from '../src/quotas/quota.service';
import { createProject, createUser, startTestScheduler, waitFor, type TestScheduler } from './fixtures';

/** An admin's PATCH /projects/:id { labelsPerItem }, as the API writes it: setting and items in one transaction. */
async function changeLabelsPerItem(sql: Client, projectId: string, labelsPerItem: number): Promise<void> {
  await sql.query('BEGIN');
  await sql.query(`UPDATE projects SET labels_per_item = $2 WHERE id = $1`, [projectId, labelsPerItem]);
  await sql.query(
    `UPDATE items SET remaining_labels = GREATEST($2::integer - label_count, 0)
      WHERE project_id = $1 AND remaining_labels <> GREATEST($2::integer - label_count, 0)`,
    [projectId, labelsPerItem],
  );
  await sql.query('COMMIT');
}

describe('the quota repair', () => {
  let scheduler: TestScheduler;
  let quotas: QuotaService;

  beforeAll(async () => {
    scheduler = await startTestScheduler();
    // This test runs the repair itself, at the moment it chooses.
    await scheduler.app.get(LeaseSweeperService).beforeApplicationShutdown();
    quotas = scheduler.app.get(QuotaService);
  });

  afterAll(async () => {
    await scheduler?.close();
  });

  const remaining = async (projectId: string) =>
    (
      await scheduler.sql.query<{ remaining: number }>(
        `SELECT remaining_labels AS remaining FROM items WHERE project_id = $1 ORDER BY id`,
        [projectId],
      )
    ).rows.map((row) => row.remaining);

  /** The labels per item the sweep last repaired the project's items for (none if it never did). */
  const reconciledWith = async (projectId: string) =>
    (
      await scheduler.sql.query<{ reconciled: number }>(
        `SELECT reconciled_labels_per_item AS reconciled FROM project_queue_state WHERE project_id = $1`,
        [projectId],
      )
    ).rows.map((row) => row.reconciled);

  it('keeps the last of two quick labels-per-item changes when a sweep is already under way', async () => {
    // A project the sweep repairs before the admin's (one reconciled before comes first): its drifted item
    // is held by another transaction, so the sweep waits there, as behind a large project, while the admin
    // changes the next project twice.
    const ahead = await createProject(scheduler.sql, { items: 1, labelsPerItem: 1 });
    await scheduler.sql.query(`UPDATE items SET remaining_labels = 2 WHERE project_id = $1`, [
      ahead.projectId,
    ]);
    await scheduler.sql.query(
      `INSERT INTO project_queue_state (project_id, reconciled_labels_per_item) VALUES ($1, 2)`,
      [ahead.projectId],
    );
    const { projectId, itemIds } = await createProject(scheduler.sql, { items: 2, labelsPerItem: 2 });
    const labeller = await createUser(scheduler.sql);
    await scheduler.sql.query(
      `INSERT INTO labels (project_id, item_id, labeller_id, value, client_request_id)
       VALUES ($1, $2, $3, '{a}', 'r1')`,
      [projectId, itemIds[0], labeller],
    );
    await scheduler.sql.query(`UPDATE items SET remaining_labels = 1, label_count = 1 WHERE id = $1`, [
      itemIds[0],
    ]);

    await changeLabelsPerItem(scheduler.sql, projectId, 1);
    expect(await remaining(projectId)).toEqual([0, 1]);

    const holder = new Client({ connectionString: scheduler.db.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM items WHERE project_id = $1 FOR UPDATE`, [ahead.projectId]);
      const sweep = quotas.reconcile();
      await waitFor('the sweep to wait on the project ahead', async () => {
        const { rowCount } = await scheduler.sql.query(
          `SELECT 1 FROM pg_stat_activity
            WHERE datname = current_database() AND application_name = 'foreman-scheduler'
              AND wait_event_type = 'Lock'`,
        );
        return rowCount === 1;
      });
      expect(await reconciledWith(projectId)).toEqual([]); // (the sweep has not reached the admin's project yet)
      await changeLabelsPerItem(scheduler.sql, projectId, 3);
      expect(await remaining(projectId)).toEqual([2, 3]);
      await holder.query('COMMIT');
      await sweep;
    } finally {
      await holder.end();
    }

    // Every item still needs labels: none may look fully labelled to the queue or the dashboard.
    expect(await remaining(projectId)).toEqual([2, 3]);
    expect(await remaining(ahead.projectId)).toEqual([1]);
    expect(await reconciledWith(projectId)).toEqual([3]);
  });
});

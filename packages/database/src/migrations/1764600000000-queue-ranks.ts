import type { MigrationInterface, QueryRunner } from 'typeorm';
import { applyQueueRanking } from '../queue-ranks';

/**
 * The serving order moves out of the items table. Applying a ranking used to rewrite every open item row
 * (payload included, and priority sat in an index, so no update was HOT): 37 s for a million items, with
 * item rows locked under the labellers' claims. Now every applied ranking is a partition of queue_ranks
 * (one narrow row per ranked item), built on its own and attached in one commit: see queue-ranks.ts.
 *
 * - queue_rankings: one row per ranking written (project, model version, strategy); its id names the
 *   partition and is what project_queue_state.applied_ranking_id points the queue at.
 * - queue_ranks: partitioned by ranking_id. The order index is what claims walk; the item key finds an
 *   item's row (when it is labelled, or to tell ranked from unranked items).
 */
export class QueueRanks1764600000000 implements MigrationInterface {
  name = 'QueueRanks1764600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE queue_rankings (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        model_version integer NOT NULL,
        strategy text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (project_id, model_version)
      )`);
    await db.query(`
      CREATE TABLE queue_ranks (
        ranking_id integer NOT NULL,
        item_id integer NOT NULL,
        rank integer NOT NULL CHECK (rank >= 0),
        score double precision NOT NULL,
        predicted_class text,
        predicted_probability double precision
      ) PARTITION BY LIST (ranking_id)`);
    await db.query(`CREATE INDEX queue_ranks_order_idx ON queue_ranks (ranking_id, rank, item_id)`);
    await db.query(`CREATE UNIQUE INDEX queue_ranks_item_key ON queue_ranks (item_id, ranking_id)`);
    await db.query(`ALTER TABLE project_queue_state ADD COLUMN applied_ranking_id integer`);

    // The rankings in force become the first partitions: open items that carry the applied version.
    const applied: { projectId: string; version: number; strategy: string }[] = await db.query(
      `SELECT project_id AS "projectId", applied_model_version AS version, applied_strategy AS strategy
         FROM project_queue_state WHERE applied_model_version IS NOT NULL`,
    );
    for (const { projectId, version, strategy } of applied) {
      await applyQueueRanking(
        db,
        { projectId, modelVersion: version, strategy: strategy ?? 'unknown' },
        {
          sql: `SELECT i.id, row_number() OVER (ORDER BY i.priority DESC, i.id) - 1, coalesce(i.score, 0),
                       i.predicted_class, i.predicted_probability
                  FROM items i
                 WHERE i.project_id = $1 AND i.model_version = $2 AND i.remaining_labels > 0 AND i.priority > 0`,
          params: [projectId, version],
        },
      );
    }

    await db.query(`DROP INDEX items_queue_idx`);
    await db.query(`
      ALTER TABLE items DROP COLUMN priority, DROP COLUMN score, DROP COLUMN strategy, DROP COLUMN model_version,
                        DROP COLUMN predicted_class, DROP COLUMN predicted_probability`);
    // (open items in import order, served once the ranking is used up, come from items_unlabelled_by_id_idx)
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE items ADD COLUMN priority double precision NOT NULL DEFAULT 0,
                        ADD COLUMN score double precision, ADD COLUMN strategy text,
                        ADD COLUMN model_version integer, ADD COLUMN predicted_class text,
                        ADD COLUMN predicted_probability double precision`);
    await db.query(`
      UPDATE items i
         SET priority = top.n - r.rank, score = r.score, strategy = s.applied_strategy,
             model_version = s.applied_model_version, predicted_class = r.predicted_class,
             predicted_probability = r.predicted_probability
        FROM queue_ranks r
        JOIN project_queue_state s ON s.applied_ranking_id = r.ranking_id
        JOIN (SELECT ranking_id, max(rank) + 1 AS n FROM queue_ranks GROUP BY 1) top ON top.ranking_id = r.ranking_id
       WHERE i.id = r.item_id`);
    await db.query(
      `CREATE INDEX items_queue_idx ON items (project_id, priority DESC, id) WHERE remaining_labels > 0`,
    );
    await db.query(`ALTER TABLE project_queue_state DROP COLUMN applied_ranking_id`);
    await db.query(`DROP TABLE queue_ranks`);
    await db.query(`DROP TABLE queue_rankings`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the scheduler needs to apply rankings as one step per model version:
 * - ranking_chunks stages the chunks of a ranking until all of them have arrived (keyed by project,
 *   model version and chunk index, so a redelivered chunk is stored once);
 * - project_queue_state remembers, per project, which model version's ranking the queue is in (the
 *   version guard) and which labels_per_item the remaining_labels counts were last reconciled with.
 */
export class SchedulerRankings1764400000000 implements MigrationInterface {
  name = 'SchedulerRankings1764400000000';

  async up(db: QueryRunner): Promise<void> {
    // Parallel arrays, one element per ranked item: compact to store and unnested in one statement.
    await db.query(`
      CREATE TABLE ranking_chunks (
        project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        model_version integer NOT NULL,
        chunk_index integer NOT NULL CHECK (chunk_index >= 0),
        chunk_count integer NOT NULL CHECK (chunk_count > chunk_index),
        strategy text NOT NULL,
        item_ids integer[] NOT NULL,
        scores double precision[] NOT NULL,
        ranks integer[] NOT NULL,
        max_rank integer,
        predicted_classes text[],
        predicted_probabilities double precision[],
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (project_id, model_version, chunk_index),
        CHECK (cardinality(item_ids) = cardinality(scores) AND cardinality(item_ids) = cardinality(ranks))
      )`);

    await db.query(`
      CREATE TABLE project_queue_state (
        project_id uuid PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
        applied_model_version integer,
        applied_strategy text,
        applied_at timestamptz,
        items_ranked integer NOT NULL DEFAULT 0,
        reconciled_labels_per_item integer
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE project_queue_state`);
    await db.query(`DROP TABLE ranking_chunks`);
  }
}

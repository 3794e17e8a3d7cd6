import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The trainer's durable per-project work list. Label events only bump counters here (in the transaction
 * that records the event as processed), and trainings are driven from this table, so a trainer that dies
 * mid-training finds the same pending work after a restart and does it once.
 * - label_changes counts label events seen; trained_changes is how many of them the latest training
 *   covered (their difference is the number of labels since the last training);
 * - ranking_requested_at asks for a new ranking with the latest model without retraining (new items);
 * - published_version is the newest model version whose events reached the broker, so a version whose
 *   publishing failed is re-published, never re-trained into a second version.
 * The partial index serves the trainer's scan for unlabelled items in id order (keyset pagination).
 */
export class TrainingState1764300000000 implements MigrationInterface {
  name = 'TrainingState1764300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE training_state (
        project_id uuid PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
        label_changes bigint NOT NULL DEFAULT 0,
        trained_changes bigint NOT NULL DEFAULT 0,
        last_label_at timestamptz,
        ranking_requested_at timestamptz,
        training_started_at timestamptz,
        last_trained_at timestamptz,
        published_version integer NOT NULL DEFAULT 0,
        last_error text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (trained_changes <= label_changes)
      )`);
    await db.query(
      `CREATE INDEX items_unlabelled_by_id_idx ON items (project_id, id) WHERE remaining_labels > 0`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX items_unlabelled_by_id_idx`);
    await db.query(`DROP TABLE training_state`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A retraction records the client's request id (POST /projects/:id/undo's `clientRequestId`), so a retried
 * undo whose first answer was lost answers the label it took back instead of taking back the one before
 * it. Per labeller, as submits' ids are; the partial index holds only retractions that carried one.
 */
export class RetractRequestIds1765100000000 implements MigrationInterface {
  name = 'RetractRequestIds1765100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE labels ADD COLUMN retract_request_id text`);
    await db.query(
      `CREATE UNIQUE INDEX labels_labeller_retract_request_key ON labels (labeller_id, retract_request_id)
        WHERE retract_request_id IS NOT NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE labels DROP COLUMN retract_request_id`);
  }
}

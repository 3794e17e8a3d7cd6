import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Published outbox rows and consumers' processed-event records are kept for EVENT_RETENTION_HOURS, then
 * deleted by the scheduler's sweep (every label adds one of each, so without this both tables grow with
 * every label ever given). These indexes let each sweep find the oldest rows without scanning the tables.
 */
export class EventRetentionIndexes1764800000000 implements MigrationInterface {
  name = 'EventRetentionIndexes1764800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX outbox_published_idx ON outbox (published_at) WHERE published_at IS NOT NULL`,
    );
    await db.query(`CREATE INDEX processed_events_processed_at_idx ON processed_events (processed_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX processed_events_processed_at_idx`);
    await db.query(`DROP INDEX outbox_published_idx`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A ranked item records whether the exploration shuffle placed it (ranking.computed's `shuffled`), so the
 * labelling page can say why a low-scored item came up. Existing rows were not marked: false. On the
 * partitioned queue_ranks a constant default is a catalogue change, not a rewrite of the partitions.
 */
export class ShuffledRanks1765000000000 implements MigrationInterface {
  name = 'ShuffledRanks1765000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE queue_ranks ADD COLUMN shuffled boolean NOT NULL DEFAULT false`);
    // (null: no position of the chunk was shuffled)
    await db.query(`ALTER TABLE ranking_chunks ADD COLUMN shuffled boolean[]`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE ranking_chunks DROP COLUMN shuffled`);
    await db.query(`ALTER TABLE queue_ranks DROP COLUMN shuffled`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which items each labeller has been served. Leases are deleted when they are used, released or swept
 * after expiry, so this is what lets a late submit (after the lease expired) be accepted from the
 * labeller who held the item, and refused from one who never did.
 */
export class LeaseGrants1764500000000 implements MigrationInterface {
  name = 'LeaseGrants1764500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE lease_grants (
        labeller_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        item_id integer NOT NULL REFERENCES items (id) ON DELETE CASCADE,
        first_leased_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (labeller_id, item_id)
      )`);
    await db.query(`CREATE INDEX lease_grants_item_idx ON lease_grants (item_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE lease_grants`);
  }
}

import type { Pool, QueryResultRow } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/** TypeORM's own pg pool, for what TypeORM cannot do: stream a cursor, name a statement. */
export function pgPool(db: DataSource): Pool {
  return (db.driver as PostgresDriver).master as Pool;
}

/**
 * Runs one statement as a named (prepared) statement: planned once per connection instead of on every
 * call. For the hot paths, whose planning cost more than their run (a claim: ~1.2 ms planned, ~0.3 ms
 * run). Outside any transaction: it takes a connection of its own from the pool.
 */
export async function queryNamed<T extends QueryResultRow>(
  db: DataSource,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const { rows } = await pgPool(db).query<T>({ name, text, values });
  return rows;
}

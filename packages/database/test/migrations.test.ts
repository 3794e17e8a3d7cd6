import { Client } from 'pg';
import { createEmptyDatabase, type TestDatabase } from '../src/testing';
import { migrations, revertLastMigration, runMigrations } from '../src';

async function tables(url: string): Promise<string[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    );
    return rows.map((row) => row.table_name);
  } finally {
    await client.end();
  }
}

describe('migrations', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createEmptyDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('run from an empty database, twice in parallel, applying each migration once', async () => {
    const [first, second] = await Promise.all([runMigrations(db.url), runMigrations(db.url)]);
    expect([...first, ...second]).toHaveLength(migrations.length);
    expect(await tables(db.url)).toEqual(
      expect.arrayContaining(['users', 'projects', 'items', 'labels', 'leases', 'outbox', 'model_versions']),
    );
  });

  it('are reversible down to an empty schema, and apply again after that', async () => {
    for (let i = 0; i < migrations.length; i++) expect(await revertLastMigration(db.url)).toBe(true);
    expect(await tables(db.url)).toEqual(['migrations']);
    expect(await revertLastMigration(db.url)).toBe(false);
    expect(await runMigrations(db.url)).toHaveLength(migrations.length);
  });
});

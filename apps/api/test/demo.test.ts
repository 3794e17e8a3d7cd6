import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@foreman/database/testing';
import { createTestVhost, type TestVhost } from '@foreman/messaging/testing';
import { createApiApp } from '../src/bootstrap';
import { loadApiConfig } from '../src/config/env';

describe('SEED_DEMO', () => {
  let db: TestDatabase;
  let vhost: TestVhost;

  beforeAll(async () => {
    [db, vhost] = await Promise.all([createTestDatabase(), createTestVhost()]);
  });

  afterAll(async () => {
    await Promise.all([db?.drop(), vhost?.drop()]);
  });

  const startApi = async (settings: Record<string, string> = {}) => {
    const app = await createApiApp(
      loadApiConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATABASE_URL: db.url,
        AMQP_URL: vhost.url,
        RUN_MIGRATIONS: 'false',
        SEED_DEMO: 'true',
        ...settings,
      }),
    );
    try {
      await app.init();
    } catch (error) {
      await app.close();
      throw error;
    }
    return app;
  };

  it('creates the digits project with 1,797 items once, however many instances start', async () => {
    // Two instances starting together, then a restart.
    const [first, second] = await Promise.all([startApi(), startApi()]);
    await Promise.all([first.close(), second.close()]);
    const app = await startApi();
    try {
      const sql = app.get(DataSource);
      const projects: { id: string; classes: string[]; shape: number[]; inputKind: string }[] =
        await sql.query(
          `SELECT id, classes, shape, input_kind AS "inputKind" FROM projects WHERE name = 'Digits (demo)'`,
        );
      expect(projects).toHaveLength(1);
      const project = projects[0]!;
      expect(project).toMatchObject({
        classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
        shape: [8, 8],
        inputKind: 'vector',
      });

      const [counts] = await sql.query(
        `SELECT count(*)::int AS items, count(DISTINCT external_id)::int AS ids, min(external_id::int) AS first,
                max(external_id::int) AS last, bool_and(jsonb_array_length(payload->'vector') = 64) AS all64
           FROM items WHERE project_id = $1`,
        [project.id],
      );
      expect(counts).toEqual({ items: 1797, ids: 1797, first: 1, last: 1797, all64: true });

      // Row 1 of the file without its last (truth) column.
      const file = gunzipSync(
        readFileSync(resolve(__dirname, '../../../data/demo/digits.csv.gz')),
      ).toString();
      const firstRow = file.split('\n')[0]!.split(',').map(Number);
      const [item] = await sql.query(
        `SELECT payload FROM items WHERE project_id = $1 AND external_id = '1'`,
        [project.id],
      );
      expect(item.payload).toEqual({ vector: firstRow.slice(0, 64) });

      const [events] = await sql.query(
        `SELECT count(*)::int AS n FROM outbox WHERE event_type = 'items.imported.v1' AND envelope->>'projectId' = $1`,
        [project.id],
      );
      expect(events.n).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('refuses to start when the demo data is missing', async () => {
    await expect(startApi({ DEMO_DATA_PATH: '/nowhere/digits.csv.gz' })).rejects.toThrow(
      /SEED_DEMO is on but the demo data \/nowhere\/digits.csv.gz cannot be read/,
    );
  });
});

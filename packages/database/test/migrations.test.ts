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

describe('the queue_ranks migration', () => {
  let db: TestDatabase;
  let sql: Client;
  /** It and the migrations after it: what is reverted to reach the schema before it. */
  const fromQueueRanks =
    migrations.length - migrations.findIndex((m) => m.name === 'QueueRanks1764600000000');

  async function revertFromQueueRanks(): Promise<void> {
    for (let i = 0; i < fromQueueRanks; i++) expect(await revertLastMigration(db.url)).toBe(true);
  }

  beforeAll(async () => {
    db = await createEmptyDatabase();
    await runMigrations(db.url);
    // Back to the schema before it, where the ranking lived on the item rows.
    await revertFromQueueRanks();
    sql = new Client({ connectionString: db.url });
    await sql.connect();
  });

  afterAll(async () => {
    await sql?.end();
    await db?.drop();
  });

  /** Item names in the order the queue served them before the migration, and serves them after it. */
  const oldOrder = async () =>
    (
      await sql.query<{ external_id: string }>(
        `SELECT external_id FROM items WHERE remaining_labels > 0 ORDER BY priority DESC, id`,
      )
    ).rows.map((row) => row.external_id);
  const newOrder = async () =>
    (
      await sql.query<{ external_id: string }>(
        `SELECT i.external_id FROM items i
           LEFT JOIN project_queue_state s ON s.project_id = i.project_id
           LEFT JOIN queue_ranks r ON r.ranking_id = s.applied_ranking_id AND r.item_id = i.id
          WHERE i.remaining_labels > 0 ORDER BY r.rank IS NULL, r.rank, i.id`,
      )
    ).rows.map((row) => row.external_id);

  it('carries the ranking in force over, and back again when reverted', async () => {
    const { rows } = await sql.query<{ id: string }>(
      `INSERT INTO projects (name, classes, input_kind) VALUES ('p', '{a,b}', 'vector') RETURNING id`,
    );
    const projectId = rows[0]!.id;
    // a, b, c unranked at first; then model v2 ranked c over a, and d was labelled; e came in later.
    await sql.query(
      `INSERT INTO items (project_id, external_id, payload, remaining_labels, priority, score, strategy,
                          model_version, predicted_class, predicted_probability)
       VALUES ($1, 'a', '{}', 1, 1, 0.2, 'margin', 2, 'a', 0.6), ($1, 'b', '{}', 1, 0, NULL, NULL, NULL, NULL, NULL),
              ($1, 'c', '{}', 1, 2, 0.9, 'margin', 2, 'b', 0.5), ($1, 'd', '{}', 0, 3, 0.95, 'margin', 2, 'a', 0.5),
              ($1, 'e', '{}', 1, 0, NULL, NULL, NULL, NULL, NULL)`,
      [projectId],
    );
    await sql.query(
      `INSERT INTO project_queue_state (project_id, applied_model_version, applied_strategy) VALUES ($1, 2, 'margin')`,
      [projectId],
    );
    const before = await oldOrder();
    expect(before).toEqual(['c', 'a', 'b', 'e']);

    expect(await runMigrations(db.url)).toHaveLength(fromQueueRanks);
    expect(await newOrder()).toEqual(before);
    const { rows: ranked } = await sql.query(
      `SELECT i.external_id AS item, r.rank, r.score, r.predicted_class AS class
         FROM queue_ranks r JOIN items i ON i.id = r.item_id ORDER BY r.rank`,
    );
    expect(ranked).toEqual([
      { item: 'c', rank: 0, score: 0.9, class: 'b' },
      { item: 'a', rank: 1, score: 0.2, class: 'a' },
    ]);

    await revertFromQueueRanks();
    expect(await oldOrder()).toEqual(before);
  });
});

describe('the unknown class metrics migration', () => {
  let db: TestDatabase;
  let sql: Client;

  beforeAll(async () => {
    db = await createEmptyDatabase();
    await runMigrations(db.url);
    expect(await revertLastMigration(db.url)).toBe(true);
    sql = new Client({ connectionString: db.url });
    await sql.connect();
  });

  afterAll(async () => {
    await sql?.end();
    await db?.drop();
  });

  const perClass = async () =>
    (await sql.query<{ perClass: unknown }>(`SELECT metrics -> 'perClass' AS "perClass" FROM model_versions`))
      .rows[0]!.perClass;

  it('turns the stored recall 0 of classes without held-out items into null, and back when reverted', async () => {
    const { rows } = await sql.query<{ id: string }>(
      `INSERT INTO projects (name, classes, input_kind) VALUES ('p', '{a,b,c}', 'vector') RETURNING id`,
    );
    const stored = [
      { className: 'a', precision: 1, recall: 0.5, support: 2 },
      { className: 'b', precision: 0, recall: 0, support: 1 },
      { className: 'c', precision: 0, recall: 0, support: 0 },
    ];
    await sql.query(
      `INSERT INTO model_versions (project_id, version, label_count, metrics, training_ms, backend)
       VALUES ($1, 1, 10, $2, 100, 'wasm')`,
      [rows[0]!.id, { accuracy: 0.5, evaluation: 'holdout', evaluatedOn: 3, perClass: stored }],
    );

    expect(await runMigrations(db.url)).toHaveLength(1);
    // (b's precision 0 may be 0/0 or a wrong prediction: the stored numbers cannot tell, so it stays)
    expect(await perClass()).toEqual([stored[0], stored[1], { ...stored[2], recall: null }]);

    expect(await revertLastMigration(db.url)).toBe(true);
    expect(await perClass()).toEqual(stored);
  });
});

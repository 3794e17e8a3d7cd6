/**
 * Benchmark: moving items in and out. A 100,000-row CSV of 8x8 digit-like vectors streamed into a
 * project over HTTP (rows per second, the process's retained heap), GET /progress on that project once
 * every item has a label (a fifth of them two), and the streamed CSV and JSON exports of it.
 *
 * Runs the real API in-process on a throw-away database and RabbitMQ vhost. Writes
 * bench/results/api-items.json and the "api:items" section of docs/benchmarks.md.
 */
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DataSource } from 'typeorm';
import { loadAverage, roundToTenth as round, writeBenchmarkResults } from '@foreman/bench-kit';
import { createTestDatabase } from '@foreman/database/testing';
import { createTestVhost } from '@foreman/messaging/testing';
import { createApiApp } from '../bootstrap';
import { loadApiConfig } from '../config/env';
import { SESSION_COOKIE, hashSecretToken, newSecretToken } from '../modules/auth/secret-token';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const ROWS = 100_000;

const mib = (bytes: number) => round(bytes / 2 ** 20);

/** The CSV, generated while it is sent; samples the retained heap every 10,000 rows. */
function* csvBody(heapSamples: number[]): Generator<string> {
  let chunk = `id,${Array.from({ length: 64 }, (_, i) => `p${i}`).join(',')}\n`;
  for (let row = 1; row <= ROWS; row++) {
    chunk += `${row},${Array.from({ length: 64 }, (_, i) => (row * 7 + i * 13) % 17).join(',')}\n`;
    if (row % 500 === 0) {
      yield chunk;
      chunk = '';
    }
    if (row % 10_000 === 0) {
      gc();
      heapSamples.push(process.memoryUsage().heapUsed);
    }
  }
  yield chunk;
}

async function call(
  port: number,
  cookie: string,
  method: string,
  path: string,
  body?: Readable,
  contentType?: string,
): Promise<{ status: number; bytes: number; text: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: { Cookie: cookie, ...(contentType ? { 'Content-Type': contentType } : {}) },
      },
      (response) => {
        let bytes = 0;
        let text = '';
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (text.length < 10_000) text += chunk.toString();
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, bytes, text, ms: performance.now() - started }),
        );
        response.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body) body.pipe(req);
    else req.end();
  });
}

async function main(): Promise<void> {
  const [database, vhost] = await Promise.all([createTestDatabase(), createTestVhost()]);
  const app = await createApiApp(
    loadApiConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: database.url,
      AMQP_URL: vhost.url,
      RUN_MIGRATIONS: 'false',
    }),
  );
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const db = app.get(DataSource);
  try {
    const token = newSecretToken();
    const [{ id: adminId }] = await db.query(
      `INSERT INTO users (email, display_name, role, password_hash) VALUES ('bench@example.org', 'Bench', 'admin', '!')
       RETURNING id`,
    );
    await db.query(
      `INSERT INTO sessions (user_id, token_hash, expires_at) VALUES ($1, $2, now() + interval '1 day')`,
      [adminId, hashSecretToken(token)],
    );
    const cookie = `${SESSION_COOKIE}=${token}`;
    const [{ id: projectId }] = await db.query(
      `INSERT INTO projects (name, classes, input_kind, shape, labels_per_item)
       VALUES ('bench', $1, 'vector', '{8,8}', 2) RETURNING id`,
      [['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']],
    );

    // Import.
    const heapSamples: number[] = [];
    let uploaded = 0;
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const body = Readable.from(csvBody(heapSamples)).on('data', (chunk: string) => {
      uploaded += Buffer.byteLength(chunk);
    });
    const imported = await call(port, cookie, 'POST', `/projects/${projectId}/items`, body, 'text/csv');
    if (imported.status !== 200) throw new Error(`import answered ${imported.status}: ${imported.text}`);
    const report = JSON.parse(imported.text) as { inserted: number };
    if (report.inserted !== ROWS) throw new Error(`import inserted ${report.inserted} of ${ROWS}`);

    // Labels straight into the database: every item one, every fifth item a second.
    const labellers: { id: string }[] = await db.query(
      `INSERT INTO users (email, display_name, role, password_hash)
       SELECT 'labeller' || n || '@example.org', 'Labeller ' || n, 'labeller', '!' FROM generate_series(1, 8) n
       RETURNING id`,
    );
    await db.query(
      `INSERT INTO labels (project_id, item_id, labeller_id, value, client_request_id)
       SELECT i.project_id, i.id, ($2::uuid[])[1 + i.id % 8], ARRAY[((i.id * 7) % 10)::text], 'a' || i.id
         FROM items i WHERE i.project_id = $1
       UNION ALL
       SELECT i.project_id, i.id, ($2::uuid[])[1 + (i.id + 1) % 8], ARRAY[((i.id * 3) % 10)::text], 'b' || i.id
         FROM items i WHERE i.project_id = $1 AND i.id % 5 = 0`,
      [projectId, labellers.map((labeller) => labeller.id)],
    );
    await db.query(
      `UPDATE items i SET label_count = l.n, remaining_labels = greatest(2 - l.n, 0)
         FROM (SELECT item_id, count(*)::int AS n FROM labels GROUP BY item_id) l
        WHERE l.item_id = i.id`,
    );
    await db.query('ANALYZE');

    // Progress: median of five.
    const progressMs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const progress = await call(port, cookie, 'GET', `/projects/${projectId}/progress`);
      if (progress.status !== 200) throw new Error(`progress answered ${progress.status}`);
      progressMs.push(progress.ms);
    }
    progressMs.sort((a, b) => a - b);

    // Exports.
    const exports: Record<string, { ms: number; mib: number; rowsPerSecond: number }> = {};
    for (const format of ['csv', 'json']) {
      const result = await call(port, cookie, 'GET', `/projects/${projectId}/export?format=${format}`);
      if (result.status !== 200) throw new Error(`export answered ${result.status}`);
      exports[format] = {
        ms: round(result.ms),
        mib: mib(result.bytes),
        rowsPerSecond: Math.round((ROWS / result.ms) * 1000),
      };
    }

    const results = {
      date: new Date().toISOString(),
      loadAverage1m: loadAverage(),
      import: {
        rows: ROWS,
        bodyMiB: mib(uploaded),
        ms: round(imported.ms),
        rowsPerSecond: Math.round((ROWS / imported.ms) * 1000),
        retainedHeapGrowthMiB: mib(Math.max(...heapSamples) - heapBefore),
      },
      progress: { items: ROWS, labels: ROWS + ROWS / 5, medianMs: round(progressMs[2]!) },
      export: exports,
    };
    writeResults(results);
    console.log(JSON.stringify(results, null, 2));
  } finally {
    await app.close();
    await Promise.all([database.drop(), vhost.drop()]);
  }
}

function writeResults(results: {
  date: string;
  loadAverage1m: number;
  import: { rows: number; bodyMiB: number; ms: number; rowsPerSecond: number; retainedHeapGrowthMiB: number };
  progress: { items: number; labels: number; medianMs: number };
  export: Record<string, { ms: number; mib: number; rowsPerSecond: number }>;
}): void {
  const exportRows = Object.entries(results.export)
    .map(([format, e]) => `| export ${format} | ${e.ms} | ${e.rowsPerSecond} | ${e.mib} MiB out |`)
    .join('\n');
  const markdown = `## API: import, progress, export

\`pnpm --filter @foreman/api bench\` (${results.date.slice(0, 10)}, 1-minute load average ${results.loadAverage1m} on
the shared 2-core machine): a ${results.import.rows.toLocaleString('en')}-row CSV of 8x8 vectors streamed over HTTP into
one project, then ${results.progress.labels.toLocaleString('en')} labels written by SQL. Raw numbers:
\`bench/results/api-items.json\`.

| step | ms | rows/s | note |
| --- | --- | --- | --- |
| import (CSV, ${results.import.bodyMiB} MiB) | ${results.import.ms} | ${results.import.rowsPerSecond} | retained heap grew ${results.import.retainedHeapGrowthMiB} MiB |
| GET /progress | ${results.progress.medianMs} | — | median of 5 |
${exportRows}`;
  writeBenchmarkResults({ name: 'api-items', results, section: { marker: 'api:items', markdown } });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

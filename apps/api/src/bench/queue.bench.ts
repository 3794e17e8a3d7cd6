/**
 * Benchmark: the leased queue. 32 labellers drain a 2,000-item project over HTTP (next + submit, as the
 * labelling page does), then the claim statement and the progress counts are timed on their own in a
 * 100,000-item project with 30,000 items done and 32 live leases.
 *
 * Runs the real API in-process on a throw-away database and RabbitMQ vhost. Writes
 * bench/results/api-queue.json and the "api:queue" section of docs/benchmarks.md.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import {
  latencySummary,
  loadAverage,
  roundToTenth as round,
  writeBenchmarkResults,
} from '@foreman/bench-kit';
import type { TestDatabase } from '@foreman/database/testing';
import type { TestVhost } from '@foreman/messaging/testing';
import { createApiApp } from '../bootstrap';
import { loadApiConfig } from '../config/env';
import { SESSION_COOKIE, hashSecretToken, newSecretToken } from '../modules/auth/secret-token';
import { LeaseRepository } from '../modules/queue/lease.repository';
import { ProgressCountsService } from '../modules/queue/progress-counts.service';
import { QueueRepository } from '../modules/queue/queue.repository';
import { withScratchSystem } from './scratch-system';

const LABELLERS = 32;
const DRAIN_ITEMS = 2_000;
const POOL_ITEMS = 100_000;

function percentiles(samples: number[]): Row {
  const { count, p50, p95, p99 } = latencySummary(samples);
  return { count, p50, p95, p99 };
}

async function timed<T>(samples: number[], work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  samples.push(performance.now() - started);
  return result;
}

/**
 * A dropped keep-alive connection (ECONNRESET) is retried, as the labelling page does: next is reload-safe
 * and a submit carries its client request id, so a retry never labels twice.
 */
async function fetchWithRetry(url: string, init: RequestInit, attempts = 3): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, init);
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
  }
}

const main = (): Promise<void> => withScratchSystem(runBench);

async function runBench(database: TestDatabase, vhost: TestVhost): Promise<void> {
  const load = { start: loadAverage(), end: 0 };
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
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const db = app.get(DataSource);
  try {
    const newProject = async (items: number) => {
      const [{ id }] = await db.query(
        `INSERT INTO projects (name, classes, input_kind, shape) VALUES ($1, '{a,b,c}', 'vector', '{2}') RETURNING id`,
        [`bench ${randomUUID()}`],
      );
      await db.query(
        `INSERT INTO items (project_id, external_id, payload, remaining_labels)
         SELECT $1, 'i' || n, '{"vector": [1, 2]}', 1 FROM generate_series(1, $2) AS n`,
        [id, items],
      );
      await db.query(`ANALYZE items`);
      return id as string;
    };
    const newLabeller = async (projectId: string) => {
      const [{ id }] = await db.query(
        `INSERT INTO users (email, display_name, role, password_hash) VALUES ($1, 'bench', 'labeller', '!') RETURNING id`,
        [`${randomUUID()}@bench.local`],
      );
      await db.query(`INSERT INTO project_members (project_id, user_id) VALUES ($1, $2)`, [projectId, id]);
      const token = newSecretToken();
      await db.query(
        `INSERT INTO sessions (user_id, token_hash, expires_at) VALUES ($1, $2, now() + interval '1 day')`,
        [id, hashSecretToken(token)],
      );
      return { id: id as string, cookie: `${SESSION_COOKIE}=${token}` };
    };

    // 1. Drain over HTTP.
    const drainProject = await newProject(DRAIN_ITEMS);
    const labellers = await Promise.all(Array.from({ length: LABELLERS }, () => newLabeller(drainProject)));
    const nextMs: number[] = [];
    const submitMs: number[] = [];
    const post = async (cookie: string, path: string, body?: object) => {
      const response = await fetchWithRetry(`${base}${path}`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: body ? JSON.stringify(body) : undefined,
      });
      if (response.status >= 300) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as { status?: string; item?: { id: number } };
    };
    const started = performance.now();
    await Promise.all(
      labellers.map(async (labeller) => {
        for (;;) {
          const next = await timed(nextMs, () => post(labeller.cookie, `/projects/${drainProject}/next`));
          if (next.status === 'done') return;
          await timed(submitMs, () =>
            post(labeller.cookie, `/items/${next.item!.id}/labels`, {
              value: 'a',
              clientRequestId: randomUUID(),
            }),
          );
        }
      }),
    );
    const drainSeconds = (performance.now() - started) / 1000;

    // 2. The claim statement and the progress counts alone, in a large pool.
    const pool = await newProject(POOL_ITEMS);
    await db.query(
      `UPDATE items SET remaining_labels = 0, label_count = 1
        WHERE id IN (SELECT id FROM items WHERE project_id = $1 ORDER BY id LIMIT 30000)`,
      [pool],
    );
    await db.query(`VACUUM ANALYZE items`);
    const poolLabellers = await Promise.all(Array.from({ length: LABELLERS }, () => newLabeller(pool)));
    const leases = app.get(LeaseRepository);
    const progress = app.get(ProgressCountsService);
    const claimMs: number[] = [];
    for (const labeller of poolLabellers)
      await timed(claimMs, () => leases.claimNext(pool, labeller.id, 600));
    // A fresh service has no snapshot: the full count. The app's own serves its snapshot.
    const progressMs: number[] = [];
    for (let i = 0; i < 20; i++) {
      const counts = new ProgressCountsService(new QueueRepository(db));
      await timed(progressMs, () => counts.forLabeller(pool, poolLabellers[0]!.id));
    }
    const cachedProgressMs: number[] = [];
    await progress.forLabeller(pool, poolLabellers[0]!.id);
    for (let i = 0; i < 20; i++) {
      await timed(cachedProgressMs, () => progress.forLabeller(pool, poolLabellers[i % LABELLERS]!.id));
    }
    load.end = loadAverage();

    const results = {
      date: new Date().toISOString().slice(0, 10),
      loadAverage: load,
      drain: {
        labellers: LABELLERS,
        items: DRAIN_ITEMS,
        seconds: round(drainSeconds),
        labelsPerSecond: round(DRAIN_ITEMS / drainSeconds),
        next: percentiles(nextMs),
        submit: percentiles(submitMs),
      },
      pool: {
        items: POOL_ITEMS,
        done: 30_000,
        claim: percentiles(claimMs),
        progressCounts: percentiles(progressMs),
        progressCountsReused: percentiles(cachedProgressMs),
      },
    };
    writeResults(results);
    console.log(JSON.stringify(results, null, 2));
  } finally {
    await app.close();
  }
}

function writeResults(results: {
  date: string;
  loadAverage: { start: number; end: number };
  drain: {
    labellers: number;
    items: number;
    seconds: number;
    labelsPerSecond: number;
    next: Row;
    submit: Row;
  };
  pool: { items: number; claim: Row; progressCounts: Row; progressCountsReused: Row };
}): void {
  const { drain, pool } = results;
  const row = (what: string, r: Row) => `| ${what} | ${r.count} | ${r.p50} | ${r.p95} | ${r.p99} |`;
  const markdown = [
    '## API: the leased queue',
    '',
    `\`pnpm --filter @foreman/api bench\` (${results.date}), the API in-process over HTTP on 127.0.0.1. ` +
      `${drain.labellers} labellers drained a ${drain.items.toLocaleString('en')}-item project (next + submit) in ` +
      `${drain.seconds} s: **${drain.labelsPerSecond} labels/s**. Then the claim statement and the progress counts ` +
      `alone in a ${pool.items.toLocaleString('en')}-item project with 30,000 items done. ` +
      'Raw numbers: `bench/results/api-queue.json`.',
    '',
    '| step | count | p50 (ms) | p95 (ms) | p99 (ms) |',
    '| --- | --- | --- | --- | --- |',
    row(`POST /projects/:id/next, ${drain.labellers} labellers at once`, drain.next),
    row(`POST /items/:id/labels, ${drain.labellers} labellers at once`, drain.submit),
    row('LeaseRepository.claimNext, 100k items', pool.claim),
    row('ProgressCountsService.forLabeller, 100k items, full count', pool.progressCounts),
    row('ProgressCountsService.forLabeller, 100k items, snapshot served', pool.progressCountsReused),
    '',
    `Context: 1-minute load average ${results.loadAverage.start} at the start and ${results.loadAverage.end} at ` +
      'the end on 2 cores shared with other work.',
  ].join('\n');
  writeBenchmarkResults({ name: 'api-queue', results, section: { marker: 'api:queue', markdown } });
}

type Row = { count: number; p50: number; p95: number; p99: number };

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

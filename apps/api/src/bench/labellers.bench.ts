/**
 * Benchmark (issue 10): simulated labellers against the real API over HTTP and PostgreSQL, next + submit as
 * the labelling page does, with 1, 16 and 64 labellers, in a fresh and in a half-labelled project of each
 * size; and, on the same project, the raw SQL floor: pgbench running the claim and submit statements
 * (copied from LeaseRepository.claimNext, QueueRepository.lockItemState and
 * LabelRepository.insertCountAndRelease, plus the outbox insert) with as many clients.
 *
 * Every run starts from the same state: the bench labellers' labels, leases and grants are removed after
 * each run. The run also checks that no item was served to two labellers at once.
 *
 * Scale (a quick run takes a few minutes): BENCH_LABELLER_ITEMS=10000,1000000 BENCH_LABELLER_SECONDS=20.
 * Writes bench/results/labellers.json and the "bench:labellers" section of docs/benchmarks.md.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import {
  latencySummary,
  loadAverage,
  roundToTenth as round,
  writeBenchmarkResults,
} from '@foreman/bench-kit';
import { CLAIM_NEXT_CTES } from '@foreman/database';
import { createTestDatabase } from '@foreman/database/testing';
import { createTestVhost } from '@foreman/messaging/testing';
import { createApiApp } from '../bootstrap';
import { loadApiConfig } from '../config/env';
import { SESSION_COOKIE, hashSecretToken, newSecretToken } from '../modules/auth/secret-token';

// Benchmark knobs, not service settings (config/env.ts is the services' settings).

const knobs = process.env;
const ROOT = join(__dirname, '../../../..');
const SIZES = (knobs.BENCH_LABELLER_ITEMS ?? '10000').split(',').filter(Boolean).map(Number);
const CONCURRENCY = (knobs.BENCH_LABELLER_CONCURRENCY ?? '1,16,64').split(',').map(Number);
const SECONDS = Number(knobs.BENCH_LABELLER_SECONDS ?? '6');
const MAX_LABELLERS = Math.max(...CONCURRENCY);

function percentiles(samples: number[]) {
  const { count, p50, p95, p99 } = latencySummary(samples);
  return { count, p50, p95, p99 };
}
type Percentiles = ReturnType<typeof percentiles>;

interface Run {
  items: number;
  state: 'fresh' | 'half labelled';
  labellers: number;
  seconds: number;
  labelsPerSecond: number;
  next: Percentiles;
  submit: Percentiles;
  /** Items served to a second labeller while the first one's lease was live (must be 0). */
  servedTwice: number;
  /** 5xx answers (retried). */
  serverErrors: number;
  floor: { labelsPerSecond: number; latencyMs: number };
  ratioToFloor: number;
  loadAverage: number;
}

/** pgbench user ids: one per pgbench client (the script builds the same id from :client_id). */
const pgbenchLabeller = (client: number) => `00000000-0000-4000-8000-${String(client).padStart(12, '0')}`;

/** pgbench's spelling of the claim's parameters: the project, this client's labeller, a 600 s lease. */
const PGBENCH_LABELLER = `(('00000000-0000-4000-8000-' || lpad((:client_id)::text, 12, '0'))::uuid)`;
const pgbenchClaim = CLAIM_NEXT_CTES.replaceAll('$1', "':project'::uuid")
  .replaceAll('$2', PGBENCH_LABELLER)
  .replaceAll('$3', '600');

const PGBENCH_SCRIPT = `${pgbenchClaim}
SELECT coalesce(c.item_id, 0) AS item, i.payload, (SELECT count(*) FROM candidate)::int AS candidates
  FROM (SELECT 1) AS one LEFT JOIN chosen c ON true LEFT JOIN items i ON i.id = c.item_id \\gset
\\if :item > 0
BEGIN;
SELECT i.remaining_labels, l.labeller_id, coalesce(l.expires_at > now(), false),
       EXISTS (SELECT 1 FROM lease_grants g WHERE g.item_id = i.id AND g.labeller_id = ${PGBENCH_LABELLER}),
       (SELECT x.id FROM labels x WHERE x.item_id = i.id AND x.labeller_id = ${PGBENCH_LABELLER} AND x.retracted_at IS NULL)
  FROM items i LEFT JOIN leases l ON l.item_id = i.id WHERE i.id = :item FOR UPDATE OF i;
WITH inserted AS (
  INSERT INTO labels (project_id, item_id, labeller_id, value, client_request_id)
  VALUES (':project'::uuid, :item, ${PGBENCH_LABELLER}, '{a}', 'pgbench-' || gen_random_uuid()) RETURNING *
),
counted AS (
  UPDATE items SET remaining_labels = remaining_labels - 1, label_count = label_count + 1
   WHERE id = (SELECT item_id FROM inserted)
  RETURNING remaining_labels
),
unranked AS (DELETE FROM queue_ranks WHERE item_id = :item AND (SELECT remaining_labels FROM counted) = 0),
released AS (DELETE FROM leases WHERE item_id = :item AND labeller_id = ${PGBENCH_LABELLER})
SELECT id, item_id, labeller_id, value, created_at, retracted_at FROM inserted;
INSERT INTO outbox (event_id, event_type, envelope, published_at)
VALUES (gen_random_uuid(), 'label.submitted.v1', '{"bench": true}', now());
COMMIT;
\\endif
`;

async function main(): Promise<void> {
  const [database, vhost] = await Promise.all([createTestDatabase(), createTestVhost()]);
  const app = await createApiApp(
    loadApiConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'error', // 5xx causes go to stderr
      DATABASE_URL: database.url,
      AMQP_URL: vhost.url,
      RUN_MIGRATIONS: 'false',
    }),
  );
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const db = app.get(DataSource);
  const scratch = mkdtempSync(join(tmpdir(), 'labellers-bench-'));
  const scriptFile = join(scratch, 'claim-submit.sql');
  writeFileSync(scriptFile, PGBENCH_SCRIPT);
  const runs: Run[] = [];
  try {
    const labellers = await createLabellers(db, MAX_LABELLERS);
    const pgbenchIds = Array.from({ length: MAX_LABELLERS }, (_, i) => pgbenchLabeller(i));
    await db.query(
      `INSERT INTO users (id, email, display_name, role, password_hash)
       SELECT id::uuid, id || '@pgbench.local', 'pgbench', 'labeller', '!' FROM unnest($1::text[]) AS id`,
      [pgbenchIds],
    );
    for (const items of SIZES) {
      for (const state of ['fresh', 'half labelled'] as const) {
        const projectId = await createProject(db, items, state === 'half labelled');
        await db.query(`INSERT INTO project_members (project_id, user_id) SELECT $1, unnest($2::uuid[])`, [
          projectId,
          labellers.map((l) => l.id),
        ]);
        for (const count of CONCURRENCY) {
          const api = await runLabellers(base, projectId, labellers.slice(0, count));
          await reset(
            db,
            projectId,
            labellers.map((l) => l.id),
          );
          const floor = runPgbench(database.url, scriptFile, projectId, count);
          // Labels actually written (a claim that lost a race writes none; the API retries those).
          const [{ written }] = await db.query(
            `SELECT count(*)::int AS written FROM labels WHERE project_id = $1 AND client_request_id LIKE 'pgbench-%'`,
            [projectId],
          );
          floor.labelsPerSecond = round(written / SECONDS);
          await reset(db, projectId, pgbenchIds);
          const run: Run = {
            items,
            state,
            labellers: count,
            ...api,
            floor,
            ratioToFloor: Number((api.labelsPerSecond / floor.labelsPerSecond).toFixed(2)),
            loadAverage: loadAverage(),
          };
          runs.push(run);
          console.log(JSON.stringify(run));
        }
        await db.query(`DELETE FROM projects WHERE id = $1`, [projectId]);
      }
    }
    writeResults(runs);
  } finally {
    await app.close();
    await Promise.all([database.drop(), vhost.drop()]);
  }
}

async function createLabellers(db: DataSource, count: number) {
  return Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const [{ id }] = await db.query(
        `INSERT INTO users (email, display_name, role, password_hash)
         VALUES ($1, 'bench', 'labeller', '!') RETURNING id`,
        [`labeller-${index}-${Date.now()}@bench.local`],
      );
      const token = newSecretToken();
      await db.query(
        `INSERT INTO sessions (user_id, token_hash, expires_at) VALUES ($1, $2, now() + interval '1 day')`,
        [id, hashSecretToken(token)],
      );
      return { id: id as string, cookie: `${SESSION_COOKIE}=${token}` };
    }),
  );
}

/** generate_series items of 64 numbers; half labelled = the first half of the queue has its one label. */
async function createProject(db: DataSource, items: number, halfLabelled: boolean): Promise<string> {
  const [{ id }] = await db.query(
    `INSERT INTO projects (name, classes, input_kind, shape) VALUES ($1, '{a,b,c}', 'vector', '{8,8}') RETURNING id`,
    [`labellers ${items} ${Date.now()}`],
  );
  await db.query(
    `INSERT INTO items (project_id, external_id, payload, remaining_labels)
     SELECT $1, 'i' || n, jsonb_build_object('vector', (SELECT jsonb_agg((n + k) % 17) FROM generate_series(1, 64) AS k)),
            1
       FROM generate_series(1, $2) AS n`,
    [id, items],
  );
  if (halfLabelled) {
    const [{ seeder }] = await db.query(
      `INSERT INTO users (email, display_name, role, password_hash)
       VALUES ($1, 'seed', 'labeller', '!') RETURNING id AS seeder`,
      [`seed-${Date.now()}@bench.local`],
    );
    await db.query(
      `WITH half AS (
         UPDATE items SET remaining_labels = 0, label_count = 1
          WHERE id IN (SELECT id FROM items WHERE project_id = $1 ORDER BY id LIMIT $2) RETURNING id
       )
       INSERT INTO labels (project_id, item_id, labeller_id, value, client_request_id)
       SELECT $1, id, $3, '{a}', 'seed-' || id FROM half`,
      [id, Math.floor(items / 2), seeder],
    );
  }
  await db.query(`VACUUM ANALYZE items, labels`);
  return id as string;
}

/** Removes what the bench labellers did in the project, so the next run starts from the same state. */
async function reset(db: DataSource, projectId: string, labellerIds: string[]): Promise<void> {
  await db.query(
    `WITH gone AS (DELETE FROM labels WHERE project_id = $1 AND labeller_id = ANY($2::uuid[]) RETURNING item_id)
     UPDATE items SET remaining_labels = remaining_labels + 1, label_count = label_count - 1
      WHERE id IN (SELECT item_id FROM gone)`,
    [projectId, labellerIds],
  );
  await db.query(`DELETE FROM leases WHERE project_id = $1 AND labeller_id = ANY($2::uuid[])`, [
    projectId,
    labellerIds,
  ]);
  await db.query(`DELETE FROM lease_grants WHERE labeller_id = ANY($1::uuid[])`, [labellerIds]);
  await db.query(`VACUUM ANALYZE items, labels, leases, lease_grants`);
}

async function runLabellers(base: string, projectId: string, labellers: { id: string; cookie: string }[]) {
  const nextMs: number[] = [];
  const submitMs: number[] = [];
  const holder = new Map<number, string>();
  let servedTwice = 0;
  let labelled = 0;
  const serverErrors: string[] = [];
  const post = async (cookie: string, path: string, body?: object) => {
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await fetch(`${base}${path}`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/json' },
          body: body ? JSON.stringify(body) : undefined,
        });
        if (response.status >= 500 && attempt < 5) {
          // Counted, then retried as the labelling page does (next is reload-safe, a submit carries its id).
          serverErrors.push(`${response.status} ${(await response.text()).slice(0, 200)}`);
          continue;
        }
        if (response.status >= 300) throw new Error(`${path}: ${response.status} ${await response.text()}`);
        return (await response.json()) as { status?: string; item?: { id: number } };
      } catch (error) {
        // A dropped keep-alive connection is retried: next is reload-safe, a submit carries its request id.
        if (attempt >= 5 || !(error instanceof TypeError)) throw error;
      }
    }
  };
  const until = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    labellers.map(async (labeller, index) => {
      let n = 0;
      while (performance.now() < until) {
        let t = performance.now();
        const next = await post(labeller.cookie, `/projects/${projectId}/next`);
        nextMs.push(performance.now() - t);
        if (next.status !== 'item') return;
        const itemId = next.item!.id;
        const other = holder.get(itemId);
        if (other !== undefined && other !== labeller.id) servedTwice++;
        holder.set(itemId, labeller.id);
        t = performance.now();
        await post(labeller.cookie, `/items/${itemId}/labels`, {
          value: 'a',
          clientRequestId: `bench-${index}-${n++}`,
        });
        submitMs.push(performance.now() - t);
        labelled++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    seconds: round(seconds),
    labelsPerSecond: round(labelled / seconds),
    next: percentiles(nextMs),
    submit: percentiles(submitMs),
    servedTwice,
    serverErrors: serverErrors.length,
  };
}

function runPgbench(databaseUrl: string, scriptFile: string, projectId: string, clients: number) {
  const output = execFileSync(
    'pgbench',
    [
      '-n',
      '-c',
      String(clients),
      '-j',
      String(Math.min(clients, 2)),
      '-T',
      String(SECONDS),
      '-D',
      `project=${projectId}`,
      '-f',
      scriptFile,
      databaseUrl,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const tps = /tps = ([\d.]+)/.exec(output)?.[1];
  const latency = /latency average = ([\d.]+) ms/.exec(output)?.[1];
  if (!tps) throw new Error(`pgbench gave no tps:\n${output}`);
  return { labelsPerSecond: round(Number(tps)), latencyMs: round(Number(latency ?? NaN)) };
}

/** This run's rows replace the same (items, state, labellers) rows of earlier runs; the others stay. */
function writeResults(latest: Run[]): void {
  const file = join(ROOT, 'bench/results/labellers.json');
  const key = (r: Run) => `${r.items}/${r.state}/${r.labellers}`;
  const earlier = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { runs: Run[] }).runs : [];
  const fresh = new Set(latest.map(key));
  const runs = [...earlier.filter((r) => !fresh.has(key(r))), ...latest].sort(
    (a, b) => a.items - b.items || a.state.localeCompare(b.state) || a.labellers - b.labellers,
  );
  const sizes = runs.map((r) => r.items);
  const at = (items: number, state: Run['state'], labellers: number) =>
    runs.find((r) => r.items === items && r.state === state && r.labellers === labellers);
  const top = Math.max(...runs.map((r) => r.labellers));
  const small = at(Math.min(...sizes), 'fresh', top);
  const large = at(Math.max(...sizes), 'half labelled', top);
  const targets = {
    nextP95At64Under20ms: runs.filter((r) => r.labellers === top).every((r) => r.next.p95 < 20),
    largeHalfOverSmallFreshP95: small && large ? Number((large.next.p95 / small.next.p95).toFixed(2)) : null,
    throughputAtLeastHalfOfFloor: runs.every((r) => r.ratioToFloor >= 0.5),
    noItemServedTwice: runs.every((r) => r.servedTwice === 0),
  };
  const results = { date: new Date().toISOString(), runs, targets };
  const markdown = [
    '## Simulated labellers against the API, and the SQL floor (issue 10)',
    '',
    `\`pnpm --filter @foreman/api bench\` (${results.date.slice(0, 16)} UTC), \`labellers.bench\`: each labeller ` +
      `loops POST /projects/:id/next then POST /items/:id/labels over HTTP keep-alive (seconds per row in the JSON) against the ` +
      'API in-process and PostgreSQL; "floor" is pgbench running the same claim + submit statements with as ' +
      'many clients. Scale with `BENCH_LABELLER_ITEMS=10000,1000000 BENCH_LABELLER_SECONDS=20`. ' +
      'Raw numbers: `bench/results/labellers.json`.',
    '',
    '| items | state | labellers | labels/s | next p50 / p95 / p99 (ms) | submit p50 / p95 / p99 (ms) | floor labels/s | ratio | served twice | 5xx | load avg |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...runs.map(
      (r) =>
        `| ${r.items.toLocaleString('en')} | ${r.state} | ${r.labellers} | ${r.labelsPerSecond} | ` +
        `${r.next.p50} / ${r.next.p95} / ${r.next.p99} | ${r.submit.p50} / ${r.submit.p95} / ${r.submit.p99} | ` +
        `${r.floor.labelsPerSecond} | ${r.ratioToFloor} | ${r.servedTwice} | ${r.serverErrors} | ${r.loadAverage} |`,
    ),
    '',
    `Targets: next p95 < 20 ms at ${top} labellers: **${targets.nextP95At64Under20ms ? 'met' : 'not met'}**; ` +
      `p95 at the largest size half labelled / p95 at the smallest fresh: **${targets.largeHalfOverSmallFreshP95}** ` +
      `(target ≤ 1.2); throughput ≥ 50 % of the floor: **${targets.throughputAtLeastHalfOfFloor ? 'met' : 'not met'}**; ` +
      `no item served to two labellers at once: **${targets.noItemServedTwice ? 'met' : 'NOT MET'}**. ` +
      'The machine (2 cores) was shared with other work: see the load average per row.',
  ].join('\n');
  writeBenchmarkResults({ name: 'labellers', results, section: { marker: 'bench:labellers', markdown } });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

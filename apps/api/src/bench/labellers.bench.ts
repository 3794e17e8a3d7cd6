/**
 * Benchmark (issue 10): simulated labellers against the real API over HTTP and PostgreSQL, labelling as the
 * labelling page does (a first POST next, then submits that answer the next item), with 1, 16 and 64
 * labellers, in a project of 10,000 and of 1,000,000 items, fresh and half labelled; and in the same run,
 * on the same project and state, the raw SQL floor: pgbench running the API's own claim and submit
 * statements (CLAIM_NEXT_CTES and SUBMIT_LABEL_SQL, the very SQL text the API runs) with as many clients.
 * Our throughput is reported as a ratio of the floor.
 *
 * The API runs in a child process (this file, argument `api`), so the simulated labellers' HTTP client does
 * not share its event loop; its CPU time per label is reported. Each project has a ranking in force (its own
 * queue_ranks partition, a fixed pseudo-random order), as after a first training; "half labelled" is the same
 * project with its first half labelled and a new ranking over the open half. Every run starts from the same
 * state: the bench labellers' labels, leases and grants are removed after each run and their items go back
 * into the ranking. The run also checks that no item was served to two labellers at once.
 *
 * Labellers that never pause measure throughput; then the latency a person waits is bounded by
 * labellers / throughput (Little's law: 64 non-stop labellers at 300 labels/s wait ~200 ms per request
 * whatever the code). So each project and state also gets a "paced" run: 64 labellers who pause
 * BENCH_LABELLER_THINK_MS (default 1000) after each label, as people do. Before each state's runs, 2 s of
 * unrecorded labelling warm the new rows and the API's progress snapshot. Each run's times are also given
 * without its arrivals (until every labeller has its first item), which pay for the reset before them.
 *
 * Knobs: BENCH_LABELLER_ITEMS (default 10000,1000000), BENCH_LABELLER_CONCURRENCY (1,16,64),
 * BENCH_LABELLER_SECONDS per API run and per pgbench run (default 8: the default matrix then takes about
 * 5 minutes on the 2-core reference machine, half of it building the million-item project and its states;
 * each second more adds ~30 s),
 * BENCH_LABELLER_THINK_MS (0: no paced runs), BENCH_LABELLER_PROFILE=1 (the API process writes a --cpu-prof
 * profile to the temp directory). Throw-away database and RabbitMQ vhost. Writes
 * bench/results/labellers.json and the "api:labellers" section of docs/benchmarks.md.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import {
  latencySummary,
  loadAverage,
  roundToTenth as round,
  writeBenchmarkResults,
  exitedChildrenCpuMs,
  processCpuMs,
} from '@foreman/bench-kit';
import {
  CLAIM_NEXT_CTES,
  QUEUE_REASON_COLUMNS,
  QUEUE_REASON_JOIN,
  applyQueueRanking,
  dropQueueRanks,
} from '@foreman/database';
import { EVENT_TYPES, buildEvent, type NextItemResponse } from '@foreman/contracts';
import type { TestDatabase } from '@foreman/database/testing';
import type { TestVhost } from '@foreman/messaging/testing';
import { SESSION_COOKIE, hashSecretToken, newSecretToken } from '../modules/auth/secret-token';
import { SUBMIT_LABEL_SQL } from '../modules/labels/label.repository';
import { ApiProcess, runBenchOrApi, serveApi } from './api-process';
import { LabellerHttpClient } from './labeller-http-client';
import { withScratchSystem } from './scratch-system';

// Benchmark knobs, not service settings (config/env.ts is the services' settings).

const knobs = process.env;
const ROOT = join(__dirname, '../../../..');
const SIZES = (knobs.BENCH_LABELLER_ITEMS ?? '10000,1000000').split(',').filter(Boolean).map(Number);
const CONCURRENCY = (knobs.BENCH_LABELLER_CONCURRENCY ?? '1,16,64').split(',').map(Number);
const SECONDS = Number(knobs.BENCH_LABELLER_SECONDS ?? '8');
/** Pause between a submit and the next request in the extra run "as people label" (0: no such run). */
const THINK_MS = Number(knobs.BENCH_LABELLER_THINK_MS ?? '1000');
const WARM_UP_SECONDS = 2;
/** Items of the labelled project beside the measured ones (half of them labelled). */
const NEIGHBOUR_ITEMS = 40_000;
const MAX_LABELLERS = Math.max(...CONCURRENCY);

function percentiles(samples: number[]) {
  const { count, p50, p95, p99 } = latencySummary(samples);
  return { count, p50, p95, p99 };
}
type Percentiles = ReturnType<typeof percentiles>;
type ProjectState = 'fresh' | 'half labelled';

interface Run {
  items: number;
  state: ProjectState;
  labellers: number;
  /** Pause after each submit: 0 = labellers that never stop (throughput), else people-like pacing. */
  thinkMs: number;
  seconds: number;
  labelsPerSecond: number;
  /** Time to the next item: a labeller's first POST next, then each submit that answers the next item. */
  next: Percentiles;
  /**
   * The same for requests sent once every labeller had its first item: without the arrivals, when the
   * first requests after the reset (paced: spread over 1.5 think times) meet plans made again and, at a
   * million items, the API's progress recount.
   */
  nextAfterArrivals: Percentiles;
  /**
   * CPU time (user + system, ms) per label given, of each part on the machine: the API process, the
   * simulated labellers (this process), PostgreSQL (every backend) and RabbitMQ (the relay's events).
   */
  cpuMsPerLabel: { api: number; labellers: number; postgres: number; rabbitmq: number };
  /** Items served to a second labeller while the first one's lease was live (must be 0). */
  servedTwice: number;
  /** 5xx answers (retried). */
  serverErrors: number;
  /** pgbench with as many clients on the same project and state (runs without think time only). */
  floor: {
    labelsPerSecond: number;
    latencyMs: number;
    claimsWithoutItem: number;
    /** As for the API's run: pgbench's clients and PostgreSQL. */
    cpuMsPerLabel: { pgbench: number; postgres: number };
  } | null;
  ratioToFloor: number | null;
  loadAverage: number;
}

/** A ranking's order: a fixed pseudo-random permutation of item ids, so a reset can put items back in place. */
const RANK_OF = (itemId: string) => `((${itemId}::bigint * 48271) % 2147483647)::int`;

/** pgbench user ids: one per pgbench client (the script builds the same id from :client_id). */
const pgbenchLabeller = (client: number) => `00000000-0000-4000-8000-${String(client).padStart(12, '0')}`;
const PGBENCH_LABELLER = `(('00000000-0000-4000-8000-' || lpad((:client_id)::text, 12, '0'))::uuid)`;

/** The API's statements with pgbench's variables for their parameters ($10 and up do not occur). */
function forPgbench(sql: string, parameters: string[]): string {
  return sql.replace(/\$(\d)/g, (_, n: string) => parameters[Number(n) - 1]!);
}

/** A valid label.submitted envelope for pgbench's labels (the API's outbox relay publishes them too). */
const PGBENCH_EVENT = (projectId: string) =>
  JSON.stringify(
    buildEvent(EVENT_TYPES.labelSubmitted, projectId, {
      labelId: 1,
      itemId: 1,
      labellerId: pgbenchLabeller(0),
      value: ['a'],
    }),
    null,
    1, // (a space after each key's colon, and the time's colons escaped: pgbench reads ":name" as a variable)
  )
    .replace(/"occurredAt": "([^"]*)"/, (_, at: string) => `"occurredAt": "${at.replaceAll(':', '\\u003a')}"`)
    .replaceAll("'", "''");

/** The project as pgbench's prepared statements take it (each `:name` becomes a parameter of its own). */
const PGBENCH_PROJECT = '(:project)::uuid';

const pgbenchScript = (
  projectId: string,
) => `${forPgbench(CLAIM_NEXT_CTES, [PGBENCH_PROJECT, PGBENCH_LABELLER, '600'])}
SELECT coalesce(c.item_id, 0) AS item, c.id AS lease, i.payload, ${QUEUE_REASON_COLUMNS},
       (SELECT count(*) FROM candidate)::int AS candidates
  FROM (SELECT 1) AS one LEFT JOIN chosen c ON true LEFT JOIN items i ON i.id = c.item_id ${QUEUE_REASON_JOIN} \\gset
\\if :item > 0
${forPgbench(SUBMIT_LABEL_SQL, [
  '(:item)::int',
  PGBENCH_LABELLER,
  PGBENCH_PROJECT,
  "'{a}'::text[]",
  "'pgbench-' || gen_random_uuid()",
  'gen_random_uuid()',
  `'${EVENT_TYPES.labelSubmitted}'`,
  `'${PGBENCH_EVENT(projectId)}'`,
])};
\\endif
`;

const main = (): Promise<void> => withScratchSystem(runBench);

async function runBench(database: TestDatabase, vhost: TestVhost): Promise<void> {
  const loadAtStart = loadAverage();
  // (a small pool: pgbench's clients and the API's pool must fit in max_connections beside it)
  const db = await new DataSource({ type: 'postgres', url: database.url, extra: { max: 2 } }).initialize();
  const profile = knobs.BENCH_LABELLER_PROFILE === '1' ? ['--cpu-prof', `--cpu-prof-dir=${tmpdir()}`] : [];
  const api = await ApiProcess.start(__filename, { databaseUrl: database.url, amqpUrl: vhost.url }, profile);
  const scratch = mkdtempSync(join(tmpdir(), 'labellers-bench-'));
  const started = performance.now();
  const runs: Run[] = [];
  try {
    const labellers = await createLabellers(db, MAX_LABELLERS);
    const pgbenchIds = Array.from({ length: MAX_LABELLERS }, (_, i) => pgbenchLabeller(i));
    await db.query(
      `INSERT INTO users (id, email, display_name, role, password_hash)
       SELECT id::uuid, id || '@pgbench.local', 'pgbench', 'labeller', '!' FROM unnest($1::text[]) AS id`,
      [pgbenchIds],
    );
    // A labelled project next door, as in any database past its first project (its labels and their lease
    // grants: see labelFirstHalf). With `labels` empty, the claim's plans made right after a reset
    // (statistics: empty; autovacuum is off on the reference machine, so they never caught up) scanned
    // `labels` in full for every candidate item, slower with every label of the run: pgbench fell to
    // 22-42 labels/s in some runs of the fresh states.
    await labelFirstHalf(db, await createProject(db, NEIGHBOUR_ITEMS));
    for (const items of SIZES) {
      const project = await createProject(db, items);
      await db.query(`INSERT INTO project_members (project_id, user_id) SELECT $1, unnest($2::uuid[])`, [
        project.id,
        labellers.map((l) => l.id),
      ]);
      for (const state of ['fresh', 'half labelled'] as const) {
        if (state === 'half labelled') await labelFirstHalf(db, project);
        // Not recorded: first reads of the new rows, the API's first progress count of the project.
        await runLabellers(api.base, project.id, labellers, { seconds: WARM_UP_SECONDS, thinkMs: 0 });
        await reset(
          db,
          project,
          labellers.map((l) => l.id),
        );
        const paced = THINK_MS > 0 ? [{ count: MAX_LABELLERS, thinkMs: THINK_MS }] : [];
        for (const { count, thinkMs } of [...CONCURRENCY.map((c) => ({ count: c, thinkMs: 0 })), ...paced]) {
          const cpuBefore = await cpuReadings(api);
          const { labelled, ...measured } = await runLabellers(
            api.base,
            project.id,
            labellers.slice(0, count),
            {
              seconds: SECONDS,
              thinkMs,
            },
          );
          const cpuAfter = await cpuReadings(api);
          await reset(
            db,
            project,
            labellers.map((l) => l.id),
          );
          let floor: Run['floor'] = null;
          if (thinkMs === 0) {
            const floorCpuBefore = floorCpuReadings();
            const { latencyMs, transactions } = runPgbench(database.url, scratch, project.id, count);
            await pgbenchBackendsGone(db);
            const floorCpuAfter = floorCpuReadings();
            // Labels actually written (a claim that lost a race writes none; the API retries those), over the
            // time from the first to the last: pgbench may label every open item of the 10k project before
            // its time is up, and its later transactions find nothing.
            const [{ written, seconds }] = await db.query(
              `SELECT count(*)::int AS written, extract(epoch FROM max(created_at) - min(created_at)) AS seconds
                 FROM labels WHERE project_id = $1 AND client_request_id LIKE 'pgbench-%'`,
              [project.id],
            );
            await reset(db, project, pgbenchIds);
            // (a transaction whose claim lost a race to a lease committed after its snapshot labels nothing)
            floor = {
              labelsPerSecond: round(written / Math.max(Number(seconds), 1)),
              latencyMs,
              claimsWithoutItem: transactions - written,
              cpuMsPerLabel: cpuPerLabel(floorCpuBefore, floorCpuAfter, written),
            };
          }
          const run: Run = {
            items,
            state,
            labellers: count,
            thinkMs,
            ...measured,
            cpuMsPerLabel: cpuPerLabel(cpuBefore, cpuAfter, labelled),
            floor,
            ratioToFloor: floor
              ? Number((measured.labelsPerSecond / floor.labelsPerSecond).toFixed(2))
              : null,
            loadAverage: loadAverage(),
          };
          runs.push(run);
          console.log(JSON.stringify(run));
        }
      }
    }
    writeResults(runs, (performance.now() - started) / 60_000, loadAtStart);
  } finally {
    await api.stop();
    await db.destroy();
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

interface BenchProject {
  id: string;
  items: number;
  /** The ranking in force (its queue_ranks partition). */
  rankingId: number;
}

/** generate_series items of 64 numbers, each needing one label, and a ranking over all of them. */
async function createProject(db: DataSource, items: number): Promise<BenchProject> {
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
  await db.query(`VACUUM ANALYZE items`);
  const project = { id: id as string, items, rankingId: 0 };
  project.rankingId = await applyRanking(db, project, 1);
  return project;
}

/** What the scheduler does after a training: the project's open items ranked in a partition of their own. */
async function applyRanking(db: DataSource, project: BenchProject, modelVersion: number): Promise<number> {
  const previous = project.rankingId;
  const { rankingId } = await db.transaction((tx) =>
    applyQueueRanking(
      tx,
      { projectId: project.id, modelVersion, strategy: 'entropy' },
      {
        sql: `SELECT i.id, ${RANK_OF('i.id')}, 0.5, NULL::text, NULL::double precision
                FROM items i WHERE i.project_id = $1 AND i.remaining_labels > 0`,
        params: [project.id],
      },
    ),
  );
  if (previous) await dropQueueRanks(db, previous);
  return rankingId;
}

/**
 * Half labelled: the first half of the items has its one label by someone else, who was served them (their
 * lease grants), and a new ranking is in force. (Without the grants, `lease_grants` held only the run's own
 * rows and was analysed empty at every reset, so the submit's served-to-labeller check was planned as a
 * sequential scan of it: 2 ms per submit after a few thousand labels, for the API and pgbench alike.)
 */
async function labelFirstHalf(db: DataSource, project: BenchProject): Promise<void> {
  const [{ seeder }] = await db.query(
    `INSERT INTO users (email, display_name, role, password_hash)
     VALUES ($1, 'seed', 'labeller', '!') RETURNING id AS seeder`,
    [`seed-${Date.now()}@bench.local`],
  );
  await db.query(
    `WITH half AS (
       UPDATE items SET remaining_labels = 0, label_count = 1
        WHERE id IN (SELECT id FROM items WHERE project_id = $1 ORDER BY id LIMIT $2) RETURNING id
     ),
     served AS (INSERT INTO lease_grants (labeller_id, item_id) SELECT $3, id FROM half)
     INSERT INTO labels (project_id, item_id, labeller_id, value, client_request_id)
     SELECT $1, id, $3, '{a}', 'seed-' || id FROM half`,
    [project.id, Math.floor(project.items / 2), seeder],
  );
  await db.query(`VACUUM ANALYZE items, labels, lease_grants`);
  project.rankingId = await applyRanking(db, project, 2);
}

/**
 * Removes what these labellers did in the project, so the next run starts from the same state: their
 * labels go, their items need their label again and return to their place in the ranking; the outbox is
 * empty and the disk has caught up.
 */
async function reset(db: DataSource, project: BenchProject, labellerIds: string[]): Promise<void> {
  await outboxRelayed(db);
  await db.query(
    `WITH gone AS (DELETE FROM labels WHERE project_id = $1 AND labeller_id = ANY($2::uuid[]) RETURNING item_id),
     reopened AS (
       UPDATE items SET remaining_labels = remaining_labels + 1, label_count = label_count - 1
        WHERE id IN (SELECT item_id FROM gone) RETURNING id
     )
     INSERT INTO queue_ranks (ranking_id, item_id, rank, score)
     SELECT $3, id, ${RANK_OF('id')}, 0.5 FROM reopened
     ON CONFLICT DO NOTHING`,
    [project.id, labellerIds, project.rankingId],
  );
  await db.query(`DELETE FROM leases WHERE project_id = $1 AND labeller_id = ANY($2::uuid[])`, [
    project.id,
    labellerIds,
  ]);
  await db.query(`DELETE FROM lease_grants WHERE labeller_id = ANY($1::uuid[])`, [labellerIds]);
  // (outbox: the relay's index of pending events keeps an entry per published one until a vacuum, and
  // autovacuum is off on the reference machine, so each run's relay passes read more than the last's)
  await db.query(`VACUUM ANALYZE items, labels, leases, lease_grants, queue_ranks, outbox`);
  // The vacuum leaves up to ~130 MB of dirty pages in the OS cache (a million items); written back half a
  // minute later, in the middle of the next run, they held its commits' WAL flushes for 40-96 ms.
  execFileSync('sync');
}

async function runLabellers(
  base: string,
  projectId: string,
  labellers: { id: string; cookie: string }[],
  { seconds: duration, thinkMs }: { seconds: number; thinkMs: number },
) {
  const nextMs: number[] = [];
  const nextAfterArrivalsMs: number[] = [];
  let arriving = labellers.length;
  let arrivalsOverAt = Infinity;
  const holder = new Map<number, string>();
  let servedTwice = 0;
  let labelled = 0;
  const serverErrors: string[] = [];
  const client = new LabellerHttpClient(base);
  const post = async (cookie: string, path: string, body?: object) => {
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await client.post(path, cookie, body);
        if (response.status >= 500 && attempt < 5) {
          // Counted, then retried as the labelling page does (next is reload-safe, a submit carries its id).
          serverErrors.push(`${response.status} ${response.text.slice(0, 200)}`);
          continue;
        }
        if (response.status >= 300) throw new Error(`${path}: ${response.status} ${response.text}`);
        return JSON.parse(response.text) as NextItemResponse & { next?: NextItemResponse };
      } catch (error) {
        // A dropped keep-alive connection is retried: next is reload-safe, a submit carries its request id.
        if (attempt >= 5 || !isConnectionError(error)) throw error;
      }
    }
  };
  /** Sends `request`, recording the time to its answer (the next item). */
  const timed = async <T>(request: () => Promise<T>): Promise<T> => {
    const sentAt = performance.now();
    const answer = await request();
    const ms = performance.now() - sentAt;
    nextMs.push(ms);
    if (sentAt >= arrivalsOverAt) nextAfterArrivalsMs.push(ms);
    return answer;
  };
  const until = performance.now() + duration * 1000;
  const started = performance.now();
  await Promise.all(
    labellers.map(async (labeller, index) => {
      let n = 0;
      // People do not start in step: spread the first requests, and each pause, around the think time.
      const pause = () => new Promise((resolve) => setTimeout(resolve, thinkMs * (0.5 + Math.random())));
      if (thinkMs > 0) await pause();
      // As the labelling page: POST next for the first item, then each submit answers the next one too.
      let next = await timed(() => post(labeller.cookie, `/projects/${projectId}/next`));
      if (--arriving === 0) arrivalsOverAt = performance.now();
      while (next.status === 'item' && performance.now() < until) {
        const itemId = next.item.id;
        const other = holder.get(itemId);
        if (other !== undefined && other !== labeller.id) servedTwice++;
        holder.set(itemId, labeller.id);
        const answer = await timed(() =>
          post(labeller.cookie, `/items/${itemId}/labels`, {
            value: 'a',
            clientRequestId: `bench-${index}-${n++}`,
            next: true,
          }),
        );
        labelled++;
        next = answer.next!;
        if (thinkMs > 0) await pause();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  client.close();
  return {
    seconds: round(seconds),
    labelled,
    labelsPerSecond: round(labelled / seconds),
    next: percentiles(nextMs),
    nextAfterArrivals: percentiles(nextAfterArrivalsMs),
    servedTwice,
    serverErrors: serverErrors.length,
  };
}

function isConnectionError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNREFUSED';
}

function runPgbench(databaseUrl: string, scratch: string, projectId: string, clients: number) {
  const scriptFile = join(scratch, 'claim-submit.sql');
  writeFileSync(scriptFile, pgbenchScript(projectId));
  const output = execFileSync(
    'pgbench',
    [
      '-n',
      // Prepared, as the API's claim is (a named statement): the floor does not pay planning either.
      '-M',
      'prepared',
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
  const transactions = /number of transactions actually processed: (\d+)/.exec(output)?.[1];
  const latency = /latency average = ([\d.]+) ms/.exec(output)?.[1];
  if (!transactions) throw new Error(`pgbench processed nothing:\n${output}`);
  return { latencyMs: round(Number(latency ?? NaN)), transactions: Number(transactions) };
}

/** The API's side: answers `cpu` with the CPU time it has used so far (5xx causes go to stderr). */
function serveApiWithCpu(): Promise<void> {
  return serveApi('error', () => {
    const { user, system } = process.cpuUsage();
    return { cpuMs: (user + system) / 1000 };
  });
}

/**
 * Waits until pgbench's backends have exited and the postmaster has reaped them: only then is their CPU
 * time in the postmaster's (a backend that has exited but is not yet reaped shows none in /proc).
 */
async function pgbenchBackendsGone(db: DataSource): Promise<void> {
  for (;;) {
    const [row] = (await db.query(
      `SELECT count(*)::int AS backends FROM pg_stat_activity WHERE application_name = 'pgbench'`,
    )) as { backends: number }[];
    if (!row?.backends) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
}

/**
 * Waits until the API's relay has published every event in the outbox. The floor's submits write events
 * too (the same statement), thousands per run, which the relay would otherwise publish during the next
 * run, as if they were that run's work.
 */
async function outboxRelayed(db: DataSource): Promise<void> {
  for (const deadline = Date.now() + 120_000; Date.now() < deadline;) {
    const [{ pending }] = (await db.query(
      `SELECT count(*)::int AS pending FROM outbox WHERE published_at IS NULL`,
    )) as [{ pending: number }];
    if (pending === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the outbox still held unpublished events after two minutes');
}

/** CPU time (ms) each part has used so far: the API process, this one, PostgreSQL, RabbitMQ. */
async function cpuReadings(api: ApiProcess): Promise<Run['cpuMsPerLabel']> {
  const { user, system } = process.cpuUsage();
  return {
    api: (await api.ask<{ cpuMs: number }>({ type: 'cpu' })).cpuMs,
    labellers: (user + system) / 1000,
    postgres: processCpuMs('postgres'),
    rabbitmq: processCpuMs('beam.smp'),
  };
}

/** The floor's parts: pgbench (a finished child of this process) and PostgreSQL. */
function floorCpuReadings(): NonNullable<Run['floor']>['cpuMsPerLabel'] {
  return { pgbench: exitedChildrenCpuMs(), postgres: processCpuMs('postgres') };
}

/** Each part's CPU time between two readings, per label. */
function cpuPerLabel<T extends Record<string, number>>(before: T, after: T, labels: number): T {
  const each = Object.entries(after).map(([part, ms]) => [
    part,
    round((ms - before[part]!) / Math.max(1, labels)),
  ]);
  return Object.fromEntries(each) as T;
}

/** This run's rows replace the same (items, state, labellers, think time) rows of earlier runs; the others stay. */
function writeResults(latest: Run[], minutes: number, loadAtStart: number): void {
  const file = join(ROOT, 'bench/results/labellers.json');
  const key = (r: Run) => `${r.items}/${r.state}/${r.labellers}/${r.thinkMs}`;
  const earlier = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { runs: Run[] }).runs : [];
  const fresh = new Set(latest.map(key));
  // (rows of earlier shapes, without the times after the arrivals, are left out)
  const runs = [...earlier.filter((r) => !fresh.has(key(r)) && 'nextAfterArrivals' in r), ...latest].sort(
    (a, b) =>
      a.items - b.items ||
      a.state.localeCompare(b.state) ||
      a.thinkMs - b.thinkMs ||
      a.labellers - b.labellers,
  );
  const sizes = runs.map((r) => r.items);
  const at = (items: number, state: ProjectState, labellers: number, thinkMs: number) =>
    runs.find(
      (r) => r.items === items && r.state === state && r.labellers === labellers && r.thinkMs === thinkMs,
    );
  const top = Math.max(...runs.map((r) => r.labellers));
  const shapes = [...new Map(runs.map((r) => [`${r.labellers}/${r.thinkMs}`, r])).values()];
  const growth = shapes.map(({ labellers, thinkMs }) => {
    const small = at(Math.min(...sizes), 'fresh', labellers, thinkMs);
    const large = at(Math.max(...sizes), 'half labelled', labellers, thinkMs);
    const ratio = (times: 'next' | 'nextAfterArrivals') =>
      small && large ? Number((large[times].p95 / small[times].p95).toFixed(2)) : null;
    return { labellers, thinkMs, ratio: ratio('next'), afterArrivals: ratio('nextAfterArrivals') };
  });
  const nextP95At64 = (paced: boolean) =>
    runs.filter((r) => r.labellers === top && r.thinkMs > 0 === paced).map((r) => r.next.p95);
  const targets = {
    nextP95At64Under20ms: {
      nonStop: nextP95At64(false).every((p95) => p95 < 20),
      paced: nextP95At64(true).length > 0 ? nextP95At64(true).every((p95) => p95 < 20) : null,
    },
    largeHalfOverSmallFreshNextP95: growth,
    throughputAtLeastHalfOfFloor: runs.every((r) => r.ratioToFloor === null || r.ratioToFloor >= 0.5),
    noItemServedTwice: runs.every((r) => r.servedTwice === 0),
  };
  const results = {
    date: new Date().toISOString(),
    secondsPerRun: SECONDS,
    minutes: round(minutes),
    loadAverageAtStart: loadAtStart,
    runs,
    targets,
  };
  // (rows of earlier runs may have another duration: each size's own, from its rows)
  const durations = [...new Set(sizes)]
    .map((size) => {
      const row = runs.find((r) => r.items === size && r.thinkMs === 0);
      return `${Math.round(row?.seconds ?? SECONDS)} s at ${size.toLocaleString('en')} items`;
    })
    .join(', ');
  const who = (g: { labellers: number; thinkMs: number }) =>
    `${g.labellers}${g.thinkMs > 0 ? ` paced (${g.thinkMs} ms)` : ''}`;
  const growthText = growth
    .map((g) => `${g.ratio ?? '–'} (${g.afterArrivals ?? '–'} after the arrivals) at ${who(g)}`)
    .join(', ');
  const cpuText = (parts: Record<string, number>) => {
    const values = Object.values(parts);
    return `${values.join(' + ')} = ${round(values.reduce((sum, ms) => sum + ms, 0))}`;
  };
  const metText = (met: boolean | null) => (met === null ? 'not measured' : met ? 'met' : 'not met');
  const markdown = [
    '## Simulated labellers against the API, and the SQL floor (issue 10)',
    '',
    `\`node apps/api/dist/bench/labellers.bench.js\` (${results.date.slice(0, 16)} UTC, runs of ${durations}, ` +
      `the last invocation ${results.minutes} min). Each labeller works as the labelling page does: POST ` +
      '/projects/:id/next for its first item, then POST /items/:id/labels with `next: true`, whose answer is the ' +
      'label and the next item ("next item" is the time a labeller waits for it), over HTTP keep-alive against ' +
      'the API in its own process (on the same 2 cores) and PostgreSQL, without a ' +
      `pause (think 0: throughput) or, in the "paced" rows, ${THINK_MS} ms after each label as people do. The ` +
      'project has a ranking in force; "half labelled" is the same project with its first half labelled and a new ' +
      'ranking. "Floor" is pgbench running the same claim and submit SQL text with as many clients, right after ' +
      'each non-stop run (its labels over the time from its first to its last, as it may label every open item ' +
      'of the 10k project early). CPU is the CPU time per label of each process on the machine: in the ' +
      'run, the API + the simulated labellers + PostgreSQL + RabbitMQ; in the floor, pgbench + PostgreSQL. ' +
      '"After the arrivals": requests sent once every labeller had its first item (paced labellers start ' +
      'over 1.5 think times). Raw numbers: ' +
      '`bench/results/labellers.json`.',
    '',
    '| items | state | labellers | think (ms) | labels/s | next item p50 / p95 / p99 (ms) | p95 after the arrivals (ms) | CPU ms/label: API + labellers + PostgreSQL + RabbitMQ | floor labels/s | floor CPU ms/label: pgbench + PostgreSQL | ratio | served twice | 5xx | load avg |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...runs.map(
      (r) =>
        `| ${r.items.toLocaleString('en')} | ${r.state} | ${r.labellers} | ${r.thinkMs} | ${r.labelsPerSecond} | ` +
        `${r.next.p50} / ${r.next.p95} / ${r.next.p99} | ${r.nextAfterArrivals.p95} | ` +
        `${cpuText(r.cpuMsPerLabel)} | ${r.floor?.labelsPerSecond ?? '–'} | ` +
        `${r.floor ? cpuText(r.floor.cpuMsPerLabel) : '–'} | ${r.ratioToFloor ?? '–'} | ${r.servedTwice} | ` +
        `${r.serverErrors} | ${r.loadAverage} |`,
    ),
    '',
    `Targets: next p95 < 20 ms at ${top} labellers: **${metText(targets.nextP95At64Under20ms.nonStop)}** non-stop, ` +
      `**${metText(targets.nextP95At64Under20ms.paced)}** paced; next p95 at the largest size half labelled / at ` +
      `the smallest fresh (≤ 1.2): **${growthText}**; throughput ≥ 50 % of the floor: ` +
      `**${metText(targets.throughputAtLeastHalfOfFloor)}**; no item served to two labellers at once: ` +
      `**${targets.noItemServedTwice ? 'met' : 'NOT MET'}**. Load: the 1-minute load average was ` +
      `${loadAtStart} when the run began; the one per row, taken at its end, includes the bench's own processes ` +
      '(pgbench with 64 clients alone adds several points on 2 cores).',
  ].join('\n');
  writeBenchmarkResults({ name: 'labellers', results, section: { marker: 'api:labellers', markdown } });
}

runBenchOrApi(main, serveApiWithCpu);

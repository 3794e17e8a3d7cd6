/**
 * Benchmark: moving items in and out at scale. CSVs of 64-number vectors (8x8 digit-like) streamed into
 * projects over HTTP, one project per size (rows per second); GET /progress on each once every item has a
 * label (a fifth of them two); the streamed CSV and JSON exports of the largest.
 *
 * The API runs in a child process (this file, argument `api`) so that its memory is its own: peak RSS
 * (VmHWM, reset at each step through /proc/<pid>/clear_refs) and retained heap (sampled every second after a
 * forced GC). CPU time is counted for the API process and for the PostgreSQL backends of the bench's database,
 * so runs on this shared machine can be compared whatever its load.
 *
 * Settings: BENCH_ITEMS_ROWS, comma-separated import sizes (default 100000,1000000). Throw-away database and
 * RabbitMQ vhost. Writes bench/results/api-items.json and the "api:items" section of docs/benchmarks.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Client } from 'pg';
import { loadAverage, roundToTenth as round, writeBenchmarkResults } from '@foreman/bench-kit';
import type { TestDatabase } from '@foreman/database/testing';
import type { TestVhost } from '@foreman/messaging/testing';
import { SESSION_COOKIE, hashSecretToken, newSecretToken } from '../modules/auth/secret-token';
import { ApiProcess, runBenchOrApi, serveApi } from './api-process';
import { withScratchSystem } from './scratch-system';

const knobs = process.env;
const SIZES = (knobs.BENCH_ITEMS_ROWS ?? '100000,1000000').split(',').map(Number);
const VECTOR = 64;
const IMPORT_TARGET_ROWS_PER_SECOND = 10_000;
const mib = (bytes: number) => round(bytes / 2 ** 20);

// ---------------------------------------------------------------- the API process

/** What the API process reports about one step. */
interface ApiStepStats {
  /** Without the forced GCs of the heap samples. */
  cpuMs: number;
  /** VmHWM at the end of the step; it was reset at the start when `peakReset`. */
  peakRssMiB: number;
  peakReset: boolean;
  rssAtStartMiB: number;
  /** Highest heap in use after a forced GC during the step, less the same at its start. */
  retainedHeapGrowthMiB: number;
  /** After the step, after a GC, less the start: what the step left behind. */
  heapLeftMiB: number;
}

function procStatus(field: string): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
}

/** The API's side: answers step-start / step-end with what the step cost it. */
async function serveApiWithSteps(): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;

  let step: { cpu: NodeJS.CpuUsage; heap: number; maxHeap: number; rss: number; peakReset: boolean } | null =
    null;
  let sampler: NodeJS.Timeout | undefined;
  /** CPU the forced GCs of the heap samples took: not the step's work, so taken off its CPU time. */
  let samplingCpuMicroseconds = 0;
  const heapNow = () => {
    const before = process.cpuUsage();
    gc();
    const used = process.cpuUsage(before);
    samplingCpuMicroseconds += used.user + used.system;
    return process.memoryUsage().heapUsed;
  };
  await serveApi('silent', (request) => {
    if (request.type === 'step-start') {
      let peakReset = true;
      try {
        writeFileSync('/proc/self/clear_refs', '5'); // resets VmHWM to the current RSS
      } catch {
        peakReset = false;
      }
      const heap = heapNow();
      samplingCpuMicroseconds = 0;
      step = { cpu: process.cpuUsage(), heap, maxHeap: heap, rss: process.memoryUsage().rss, peakReset };
      sampler = setInterval(() => {
        if (step) step.maxHeap = Math.max(step.maxHeap, heapNow());
      }, 1000);
      return {};
    }
    clearInterval(sampler);
    const cpu = process.cpuUsage(step!.cpu);
    const cpuMicroseconds = cpu.user + cpu.system - samplingCpuMicroseconds;
    const heapAfter = heapNow();
    const stats: ApiStepStats = {
      cpuMs: round(cpuMicroseconds / 1000),
      peakRssMiB: mib(procStatus('VmHWM')),
      peakReset: step!.peakReset,
      rssAtStartMiB: mib(step!.rss),
      retainedHeapGrowthMiB: mib(Math.max(step!.maxHeap, heapAfter) - step!.heap),
      heapLeftMiB: mib(heapAfter - step!.heap),
    };
    step = null;
    return stats;
  });
}

/** Runs `work` as one step of the API process and returns what it cost the API. */
async function apiStep<T>(api: ApiProcess, work: () => Promise<T>): Promise<{ value: T; api: ApiStepStats }> {
  await api.ask({ type: 'step-start' });
  const value = await work();
  const stats = await api.ask<ApiStepStats>({ type: 'step-end' });
  return { value, api: stats };
}

// ---------------------------------------------------------------- PostgreSQL CPU

const CLOCK_TICKS_PER_MS = 100 / 1000; // USER_HZ, 100 on Linux

/** CPU time (ms) each backend connected to the bench's database has used so far. */
async function backendCpu(db: Client): Promise<Map<number, number>> {
  const { rows } = await db.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
  );
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      cpu.set(pid, (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_MS);
    } catch {
      // gone, or another machine's PostgreSQL: not counted
    }
  }
  return cpu;
}

function cpuSince(before: Map<number, number>, after: Map<number, number>): number {
  let ms = 0;
  for (const [pid, used] of after) ms += used - (before.get(pid) ?? 0);
  return ms;
}

// ---------------------------------------------------------------- HTTP

/** A CSV of `rows` vectors, generated while it is sent (17 distinct vectors, ids 1..rows). */
function* csvBody(rows: number): Generator<string> {
  const vectors = Array.from({ length: 17 }, (_, k) =>
    Array.from({ length: VECTOR }, (_, i) => (k + i * 13) % 17).join(','),
  );
  let chunk = `id,${Array.from({ length: VECTOR }, (_, i) => `p${i}`).join(',')}\n`;
  for (let row = 1; row <= rows; row++) {
    chunk += `${row},${vectors[(row * 7) % 17]}\n`;
    if (row % 500 === 0) {
      yield chunk;
      chunk = '';
    }
  }
  yield chunk;
}

interface Answer {
  status: number;
  bytes: number;
  /** Newlines in the body: rows of a CSV or JSON export. */
  lines: number;
  text: string;
  ms: number;
  firstByteMs: number;
}

function call(port: number, cookie: string, method: string, path: string, body?: Readable): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: { Cookie: cookie, ...(body ? { 'Content-Type': 'text/csv' } : {}) },
      },
      (response) => {
        let bytes = 0;
        let lines = 0;
        let text = '';
        let firstByteMs = 0;
        response.on('data', (chunk: Buffer) => {
          if (bytes === 0) firstByteMs = performance.now() - started;
          bytes += chunk.length;
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
          if (text.length < 10_000) text += chunk.toString();
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            bytes,
            lines,
            text,
            ms: performance.now() - started,
            firstByteMs,
          }),
        );
        response.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body) body.pipe(req);
    else req.end();
  });
}

// ---------------------------------------------------------------- the bench

interface StepResult {
  rows: number;
  ms: number;
  rowsPerSecond: number;
  apiCpuMicrosecondsPerRow: number;
  postgresCpuMicrosecondsPerRow: number;
  api: ApiStepStats;
}

interface Results {
  date: string;
  loadAverage1m: { start: number; end: number };
  sizes: number[];
  import: (StepResult & { bodyMiB: number })[];
  labels: number;
  progress: { items: number; labels: number; countedMs: number; nextMs: number }[];
  export: Record<string, StepResult & { mib: number; firstByteMs: number }>;
}

const main = (): Promise<void> => withScratchSystem(runBench);

async function runBench(database: TestDatabase, vhost: TestVhost): Promise<void> {
  const loadAtStart = loadAverage();
  const db = new Client({ connectionString: database.url });
  await db.connect();
  const api = await ApiProcess.start(__filename, { databaseUrl: database.url, amqpUrl: vhost.url });
  try {
    const token = newSecretToken();
    const { rows: users } = await db.query<{ id: string }>(
      `INSERT INTO users (email, display_name, role, password_hash) VALUES ('bench@example.org', 'Bench', 'admin', '!')
       RETURNING id`,
    );
    await db.query(
      `INSERT INTO sessions (user_id, token_hash, expires_at) VALUES ($1, $2, now() + interval '1 day')`,
      [users[0]!.id, hashSecretToken(token)],
    );
    const cookie = `${SESSION_COOKIE}=${token}`;

    /** One step: the API's and PostgreSQL's CPU for it, per row. */
    const measure = async (rows: number, work: () => Promise<Answer>) => {
      const before = await backendCpu(db);
      const { value: answer, api: stats } = await apiStep(api, work);
      const postgresMs = cpuSince(before, await backendCpu(db));
      if (answer.status !== 200) throw new Error(`answered ${answer.status}: ${answer.text.slice(0, 500)}`);
      const result: StepResult = {
        rows,
        ms: round(answer.ms),
        rowsPerSecond: Math.round((rows / answer.ms) * 1000),
        apiCpuMicrosecondsPerRow: round((stats.cpuMs * 1000) / rows),
        postgresCpuMicrosecondsPerRow: round((postgresMs * 1000) / rows),
        api: stats,
      };
      return { answer, result };
    };

    // Imports, one project per size.
    const projects: { id: string; rows: number }[] = [];
    const imports: Results['import'] = [];
    for (const rows of SIZES) {
      const { rows: created } = await db.query<{ id: string }>(
        `INSERT INTO projects (name, classes, input_kind, shape, labels_per_item)
         VALUES ($1, $2, 'vector', '{8,8}', 2) RETURNING id`,
        [`bench ${rows}`, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']],
      );
      const projectId = created[0]!.id;
      let uploaded = 0;
      console.error(`importing ${rows} rows …`);
      const { answer, result } = await measure(rows, () => {
        // Made here: a listener set earlier would start the flow before the request is there.
        const body = Readable.from(csvBody(rows)).on('data', (chunk: string) => {
          uploaded += Buffer.byteLength(chunk);
        });
        return call(api.port, cookie, 'POST', `/projects/${projectId}/items`, body);
      });
      const report = JSON.parse(answer.text) as { inserted: number };
      if (report.inserted !== rows) throw new Error(`import inserted ${report.inserted} of ${rows}`);
      imports.push({ ...result, bodyMiB: mib(uploaded) });
      projects.push({ id: projectId, rows });
      console.error(JSON.stringify(imports.at(-1)));
    }

    // Labels straight into the database: every item one, every fifth item a second.
    console.error('labelling by SQL …');
    const { rows: labellers } = await db.query<{ id: string }>(
      `INSERT INTO users (email, display_name, role, password_hash)
       SELECT 'labeller' || n || '@example.org', 'Labeller ' || n, 'labeller', '!' FROM generate_series(1, 8) n
       RETURNING id`,
    );
    const { rowCount: labels } = await db.query(
      `INSERT INTO labels (project_id, item_id, labeller_id, value, client_request_id)
       SELECT i.project_id, i.id, ($1::uuid[])[1 + i.id % 8], ARRAY[((i.id * 7) % 10)::text], 'a' || i.id
         FROM items i
       UNION ALL
       SELECT i.project_id, i.id, ($1::uuid[])[1 + (i.id + 1) % 8], ARRAY[((i.id * 3) % 10)::text], 'b' || i.id
         FROM items i WHERE i.id % 5 = 0`,
      [labellers.map((labeller) => labeller.id)],
    );
    // The items' counters as the labels would have left them (progress reads them; at a million items this
    // rewrite takes a minute).
    await db.query(
      `UPDATE items SET label_count = CASE WHEN id % 5 = 0 THEN 2 ELSE 1 END,
                        remaining_labels = CASE WHEN id % 5 = 0 THEN 0 ELSE 1 END`,
    );
    await db.query('VACUUM ANALYZE');

    // Progress of each project: a first request counts every part; the next, right after it, reuses the
    // parts that were slow to count (ProgressService).
    const progress: Results['progress'] = [];
    const { rows: labelCounts } = await db.query<{ projectId: string; labels: number }>(
      `SELECT project_id AS "projectId", count(*)::int AS labels FROM labels GROUP BY project_id`,
    );
    for (const project of projects) {
      const requestMs = async () => {
        const answer = await call(api.port, cookie, 'GET', `/projects/${project.id}/progress`);
        if (answer.status !== 200) throw new Error(`progress answered ${answer.status}`);
        return round(answer.ms);
      };
      const countedMs = await requestMs();
      const labelled = labelCounts.find((count) => count.projectId === project.id)?.labels ?? 0;
      progress.push({ items: project.rows, labels: labelled, countedMs, nextMs: await requestMs() });
    }

    // Exports of the largest project.
    const largest = projects.at(-1)!;
    const exports: Results['export'] = {};
    for (const format of ['csv', 'json']) {
      console.error(`exporting ${largest.rows} rows as ${format} …`);
      const { answer, result } = await measure(largest.rows, () =>
        call(api.port, cookie, 'GET', `/projects/${largest.id}/export?format=${format}`),
      );
      // CSV: a header line and a line per row; JSON: "[", a line per row, "]".
      const exported = answer.lines - (format === 'csv' ? 1 : 2);
      if (exported !== largest.rows)
        throw new Error(`the ${format} export has ${exported} rows, not ${largest.rows}`);
      exports[format] = { ...result, mib: mib(answer.bytes), firstByteMs: round(answer.firstByteMs) };
      console.error(JSON.stringify(exports[format]));
    }

    const results: Results = {
      date: new Date().toISOString(),
      loadAverage1m: { start: loadAtStart, end: loadAverage() },
      sizes: SIZES,
      import: imports,
      labels: labels ?? 0,
      progress,
      export: exports,
    };
    writeResults(results);
    console.log(JSON.stringify(results, null, 2));
  } finally {
    await api.stop();
    await db.end();
  }
}

function writeResults(results: Results): void {
  const row = (step: string, r: StepResult, note: string) =>
    `| ${step} | ${r.rows.toLocaleString('en')} | ${round(r.ms / 1000)} | **${r.rowsPerSecond.toLocaleString('en')}** | ` +
    `${r.apiCpuMicrosecondsPerRow} | ${r.postgresCpuMicrosecondsPerRow} | ${r.api.peakRssMiB} | ` +
    `${r.api.retainedHeapGrowthMiB} | ${note} |`;
  const rows = [
    ...results.import.map((r) => row('import CSV', r, `${r.bodyMiB} MiB in`)),
    ...Object.entries(results.export).map(([format, r]) =>
      row(`export ${format}`, r, `${r.mib} MiB out, first byte after ${r.firstByteMs} ms`),
    ),
  ].join('\n');
  const progressRows = results.progress
    .map(
      (p) =>
        `| ${p.items.toLocaleString('en')} | ${p.labels.toLocaleString('en')} | ${p.countedMs} | ${p.nextMs} |`,
    )
    .join('\n');
  const missed = results.import.filter((r) => r.rowsPerSecond < IMPORT_TARGET_ROWS_PER_SECOND);
  const verdict =
    `Target (issue 10): import at least ${IMPORT_TARGET_ROWS_PER_SECOND.toLocaleString('en')} rows/s — ` +
    (missed.length === 0
      ? 'met at every size.'
      : `**not met** at ${missed.map((r) => r.rows.toLocaleString('en')).join(' and ')} rows on this run.`);
  const markdown = `## API: import, progress, export

\`pnpm --filter @foreman/api bench\` (items.bench.ts, ${results.date.slice(0, 10)}; 1-minute load average
${results.loadAverage1m.start} at the start and ${results.loadAverage1m.end} at the end on the shared 2-core machine). CSVs of
64-number vectors streamed over HTTP into one project per size, the API in a process of its own; then
${results.labels.toLocaleString('en')} labels written by SQL (every item one, every fifth two) and the largest project
exported. CPU columns: the API process and the database's PostgreSQL backends, per row (comparable
across runs whatever the load). Peak RSS: the API process's VmHWM during the step (reset at its start);
retained heap: the most the API's heap after a forced GC grew during the step. Sizes: \`BENCH_ITEMS_ROWS\`
(default 100000,1000000). Raw numbers: \`bench/results/api-items.json\`.

| step | rows | s | rows/s | API CPU µs/row | PostgreSQL CPU µs/row | API peak RSS (MiB) | API retained heap growth (MiB) | note |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows}

${verdict}

| items | labels | GET /projects/:id/progress, first: every part counted (ms) | the next, right after (ms) |
| --- | --- | --- | --- |
${progressRows}

A part of the progress that took 100 ms or more to count is reused for ten times as long (at most 5 min):
the second request counts only the quick parts again.`;
  writeBenchmarkResults({ name: 'api-items', results, section: { marker: 'api:items', markdown } });
}

runBenchOrApi(main, serveApiWithSteps);

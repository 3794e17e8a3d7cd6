/**
 * Issue 10, "label -> re-ranked queue": the time from the HTTP response of the submit that triggers a
 * retrain to the scheduler's queue.updated event for the new model version, observed on RabbitMQ, with
 * api, trainer and scheduler running as separate processes as in production (real PostgreSQL and
 * RabbitMQ of this machine, a throw-away database and vhost).
 *
 * Per size (BENCH_RERANK_ITEMS, default 1797,100000: the demo digits, then perturbed copies of them), one
 * warm-up round (the first model, applied to the unranked queue) and BENCH_RERANK_ROUNDS (default 5)
 * measured rounds, each labelling BENCH_RERANK_LABELS items (default 10, the project's retrain_every_labels;
 * the time-based trigger is set to a day so only the count triggers).
 * Results: bench/results/rerank.json and the launcher:rerank section of docs/benchmarks.md.
 */
import { cpus } from 'node:os';
import { loadAverage, percentile, roundToTenth as round, writeBenchmarkResults } from '@foreman/bench-kit';
import { Client } from 'pg';
import { REPO_ROOT } from '../config/env';
import { ApiSession } from '../harness/api-session';
import { createDigitsProject } from './system/digits-project';
import { EventWatcher } from './system/event-watcher';
import { retrainRound, type RoundTiming } from './system/retrain-round';
import { logTail, startServices, type RunningServices } from './system/service-processes';

 
const env = process.env;
const SIZES = (env.BENCH_RERANK_ITEMS ?? '1797,100000').split(',').map(Number);
const ROUNDS = Number(env.BENCH_RERANK_ROUNDS ?? 5);
const LABELS = Number(env.BENCH_RERANK_LABELS ?? 10);

const STEPS = [
  'totalMs',
  'untilAppliedMs',
  'relayMs',
  'untilTrainedMs',
  'trainingMs',
  'scoringMs',
  'chunkPublishingMs',
  'stagingAndApplyMs',
  'applyMs',
  'announceMs',
] as const;
type Step = (typeof STEPS)[number];

interface SizeResult {
  items: number;
  insertSeconds: number;
  warmUp: RoundTiming;
  rounds: RoundTiming[];
  /** Median (p50: the sample at floor(n/2)) and max of each step over the measured rounds, in ms. */
  summary: Record<Step, { median: number; max: number }>;
  /** The model version project_queue_state says the queue follows at the end (the last queue.updated's). */
  appliedModelVersion: number | null;
  loadAverage: { start: number; end: number };
  seconds: number;
}

async function main(): Promise<void> {
  const started = new Date();
  const loadStart = loadAverage(2);
  let services: RunningServices | null = null;
  let watcher: EventWatcher | null = null;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void (services?.stop() ?? Promise.resolve()).then(() => process.exit(1)));
  }
  try {
    services = await startServices({});
    watcher = await EventWatcher.start(services.amqpUrl);
    const api = await ApiSession.signIn(services.apiUrl, services.adminEmail, services.adminPassword);
    const sizes: SizeResult[] = [];
    for (const items of SIZES) {
      const sizeStarted = performance.now();
      const load = loadAverage(2);
      const digits = await createDigitsProject(api, services.databaseUrl, {
        items,
        retrainEveryLabels: LABELS,
      });
      console.log(`${items} items inserted in ${digits.insertSeconds.toFixed(1)} s`);
      // Scoring a pool and applying it grows with the pool; 2 ms per item is far above what it takes.
      const timeoutMs = 120_000 + items * 2;
      const round = (appliedVersion: number) =>
        retrainRound({
          api,
          watcher: watcher!,
          databaseUrl: services!.databaseUrl,
          projectId: digits.project.id,
          trueClass: digits.trueClass,
          labels: LABELS,
          appliedVersion,
          timeoutMs,
        });
      const warmUp = await round(0);
      console.log(`  warm-up (v${warmUp.modelVersion}): ${warmUp.totalMs} ms`);
      const rounds: RoundTiming[] = [];
      let applied = warmUp.modelVersion;
      for (let i = 0; i < ROUNDS; i++) {
        const timing = await round(applied);
        applied = timing.modelVersion;
        rounds.push(timing);
        console.log(
          `  round ${i + 1} (v${timing.modelVersion}): ${timing.totalMs} ms ` +
            `(training ${timing.trainingMs}, scoring ${timing.scoringMs}, chunks ${timing.chunkPublishingMs}, ` +
            `staging + apply ${timing.stagingAndApplyMs}, apply ${timing.applyMs})`,
        );
      }
      sizes.push({
        items,
        insertSeconds: round1(digits.insertSeconds),
        warmUp,
        rounds,
        summary: summarise(rounds),
        appliedModelVersion: await appliedModelVersion(services.databaseUrl, digits.project.id),
        loadAverage: { start: load, end: loadAverage(2) },
        seconds: round1((performance.now() - sizeStarted) / 1000),
      });
    }
    const results = {
      date: started.toISOString(),
      machine: { cpus: cpus().length, loadAverage1m: { start: loadStart, end: loadAverage(2) } },
      settings: { labelsPerRound: LABELS, rounds: ROUNDS, trainerPollMs: 1000, rankingChunkSize: 5000 },
      endMarker: 'queue.updated.v1 observed on RabbitMQ by an exclusive queue bound to foreman.events',
      sizes,
    };
    writeResults(results);
    console.log(
      JSON.stringify(
        results.sizes.map(({ items, summary }) => ({ items, summary })),
        null,
        2,
      ),
    );
  } catch (error) {
    for (const service of services?.services ?? []) {
      console.error(`--- ${service.name} log (last lines)\n${logTail(service.logFile, 15)}`);
    }
    throw error;
  } finally {
    await watcher?.close();
    await services?.stop();
  }
}

function summarise(rounds: RoundTiming[]): SizeResult['summary'] {
  const entries = STEPS.map((step) => {
    const sorted = rounds.map((timing) => timing[step]).sort((a, b) => a - b);
    return [step, { median: round(percentile(sorted, 0.5) ?? 0), max: round(sorted.at(-1) ?? 0) }];
  });
  return Object.fromEntries(entries) as SizeResult['summary'];
}

const round1 = (value: number) => Math.round(value * 10) / 10;

async function appliedModelVersion(databaseUrl: string, projectId: string): Promise<number | null> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ version: number | null }>(
      `SELECT applied_model_version AS version FROM project_queue_state WHERE project_id = $1`,
      [projectId],
    );
    return rows[0]?.version ?? null;
  } finally {
    await client.end();
  }
}

type Results = {
  date: string;
  machine: { cpus: number; loadAverage1m: { start: number; end: number } };
  settings: { labelsPerRound: number; rounds: number };
  sizes: SizeResult[];
};

function writeResults(results: Results): void {
  // A step that is 0 within the polling resolution prints as 0.0, not -0.0.
  const seconds = (ms: number) => (Math.abs(ms) < 50 ? '0.0' : (ms / 1000).toFixed(1));
  const cell = (size: SizeResult, step: Step) =>
    `${seconds(size.summary[step].median)} / ${seconds(size.summary[step].max)}`;
  const count = (size: SizeResult) => size.items.toLocaleString('en-US');
  const totals = results.sizes.map(
    (size) =>
      `| ${count(size)} | ${size.rounds.length} | **${cell(size, 'untilAppliedMs')}** | ${cell(size, 'totalMs')} | ` +
      `${seconds(size.warmUp.untilAppliedMs)} / ${seconds(size.warmUp.totalMs)} | ${size.loadAverage.start} – ${size.loadAverage.end} |`,
  );
  const steps = results.sizes.map(
    (size) =>
      `| ${count(size)} | ${cell(size, 'relayMs')} | ${cell(size, 'untilTrainedMs')} | ${cell(size, 'trainingMs')} | ` +
      `${cell(size, 'scoringMs')} | ${cell(size, 'chunkPublishingMs')} | ${cell(size, 'stagingAndApplyMs')} | ` +
      `${cell(size, 'applyMs')} | ${cell(size, 'announceMs')} |`,
  );
  const labels = results.settings.labelsPerRound;
  const markdown = `## Label -> re-ranked queue (issue 10)

\`pnpm --filter @foreman/launcher bench\` (apps/launcher/src/bench/rerank.bench.ts, ${results.date.slice(0, 16).replace('T', ' ')} UTC,
${results.machine.cpus} cores, load average ${results.machine.loadAverage1m.start} at the start and ${results.machine.loadAverage1m.end} at the end): api, trainer and
scheduler as separate processes (\`node apps/<app>/dist/main.js\`, default settings) on this machine's PostgreSQL and
RabbitMQ. Items: the 1,797 demo digits, then perturbed copies (each pixel -1/0/+1), inserted by SQL; the project retrains
every ${labels} labels (time trigger off). A round: one labeller labels ${labels} items as the queue serves them; the clock starts
at the HTTP response of the ${labels}th submit and stops when the queue follows the new model version: when
\`project_queue_state.applied_model_version\` changes (polled every 100 ms, so up to 0.1 s late; the apply's commit, from
which labellers are served in the new order), and when \`queue.updated.v1\` for it reaches an observer queue bound to \`foreman.events\`.
Each size: a warm-up round (the first model, applied to the unranked queue), then ${results.settings.rounds} measured re-rankings.
Median / max, seconds. Raw numbers: \`bench/results/rerank.json\`.

| items | rounds | submit -> queue follows the new model (commit) | submit -> queue.updated observed | warm-up round (commit / queue.updated) | load avg |
| --- | --- | --- | --- | --- | --- |
${totals.join('\n')}

Where the time goes (median / max, seconds), between events seen on RabbitMQ:

| items | relay (submit -> label.submitted) | label.submitted -> model.trained | training (trainer's figure) | scoring the pool | publishing the chunks | last chunk -> queue.updated | apply transaction (scheduler's figure) | commit -> queue.updated |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
${steps.join('\n')}

"label.submitted -> model.trained" is the trainer's poll for due work (every 1 s) and the training; "scoring the pool"
is model.trained to the first ranking chunk (every unlabelled item is predicted and ranked before the first chunk goes
out); "last chunk -> queue.updated" is the scheduler staging the chunks still queued, the apply transaction, then
counting the items that moved and publishing ("commit -> queue.updated"). The relay is ~0 (its event can reach
RabbitMQ before the HTTP response reaches the client).`;
  writeBenchmarkResults({
    name: 'rerank',
    results,
    section: { marker: 'launcher:rerank', markdown },
    root: REPO_ROOT,
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

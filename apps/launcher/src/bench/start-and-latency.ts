/**
 * `pnpm --filter @foreman/launcher bench`: how long the start command takes until the site answers (fresh
 * data directory, then a second start on the same data), and how fast the API serves the next item while
 * the trainer trains in its worker thread. Results: bench/results/launcher.json and docs/benchmarks.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { latencySummary, loadAverage, roundToTenth as round, writeBenchmarkResults } from '@foreman/bench-kit';
import { REPO_ROOT } from '../config/env';
import { ApiSession, digitsOracle, eventually } from '../harness/api-session';
import { freePorts, launcherSettings, printedPassword, startLauncher } from '../harness/launcher-process';

const LABELS = 80;

interface Request {
  /** ms since the epoch when the request was sent. */
  at: number;
  ms: number;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'foreman-launcher-bench-'));
  const ports = await freePorts();
  const settings = launcherSettings(dataDir, ports, { site: true });
  const loadBefore = loadAverage(2);

  // An interrupted bench stops the system it started.
  let running: Awaited<ReturnType<typeof startLauncher>> | null = null;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(
      signal,
      () => void (running?.stop('SIGINT') ?? Promise.resolve()).then(() => process.exit(1)),
    );
  }
  try {
    const cold = await startLauncher(settings);
    running = cold;
    console.log(`fresh start: ${cold.secondsToReady.toFixed(1)} s`);
    const api = await ApiSession.signIn(`http://127.0.0.1:${ports.api}`, cold.adminEmail, printedPassword(cold));
    const demo = await eventually('the demo project', async () =>
      (await api.projects()).find((project) => project.name === 'Digits (demo)'),
    );
    const trueClass = digitsOracle();

    // One labeller as fast as the API answers: the demo retrains every 10 labels, so the trainer is busy
    // for much of the run.
    const next: Request[] = [];
    const submit: Request[] = [];
    for (let i = 0; i < LABELS; i++) {
      let at = Date.now();
      const served = await api.next(demo.id);
      next.push({ at, ms: Date.now() - at });
      if (served.status !== 'item') break;
      at = Date.now();
      await api.label(served.item.id, trueClass(served.item.externalId), served.lease.id);
      submit.push({ at, ms: Date.now() - at });
    }
    const models = await eventually('a model version trained on the last labels', async () => {
      const versions = await api.models(demo.id);
      return versions.some((model) => model.labelCount >= submit.length - 10) ? versions : null;
    });
    // A training runs from trainedAt - trainingMs to trainedAt.
    const trainings = models.map((model) => {
      const end = Date.parse(model.trainedAt);
      return { start: end - model.trainingMs, end };
    });
    const during = (request: Request) =>
      trainings.some((window) => request.at < window.end && request.at + request.ms > window.start);

    const stopStarted = Date.now();
    const stopCode = await cold.stop('SIGINT');
    const stopSeconds = (Date.now() - stopStarted) / 1000;

    const warm = await startLauncher(settings);
    running = warm;
    console.log(`second start: ${warm.secondsToReady.toFixed(1)} s`);
    await warm.stop('SIGINT');
    running = null;

    const results = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, loadAverage1m: loadBefore },
      freshStartSeconds: round(cold.secondsToReady),
      secondStartSeconds: round(warm.secondsToReady),
      stopSeconds: round(stopSeconds),
      stopExitCode: stopCode,
      labels: submit.length,
      modelVersions: models.length,
      backend: models[0]?.backend ?? null,
      trainingMs: summarize(models.map((model) => model.trainingMs)),
      nextItemMs: {
        duringTraining: summarize(next.filter(during).map((request) => request.ms)),
        otherwise: summarize(next.filter((request) => !during(request)).map((request) => request.ms)),
      },
      submitLabelMs: {
        duringTraining: summarize(submit.filter(during).map((request) => request.ms)),
        otherwise: summarize(submit.filter((request) => !during(request)).map((request) => request.ms)),
      },
    };
    writeResults(results);
    console.log(JSON.stringify(results, null, 2));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** No requests of a kind: null percentiles rather than zeros. */
function summarize(values: number[]): { count: number; p50: number | null; p95: number | null; max: number | null } {
  const { count, p50, p95, max } = latencySummary(values);
  return count ? { count, p50, p95, max } : { count, p50: null, p95: null, max: null };
}

type Results = {
  date: string;
  machine: { cpus: number; loadAverage1m: number };
  freshStartSeconds: number;
  secondStartSeconds: number;
  stopSeconds: number;
  labels: number;
  modelVersions: number;
  backend: string | null;
  trainingMs: ReturnType<typeof summarize>;
  nextItemMs: Record<'duringTraining' | 'otherwise', ReturnType<typeof summarize>>;
  submitLabelMs: Record<'duringTraining' | 'otherwise', ReturnType<typeof summarize>>;
};

function writeResults(results: Results): void {
  const row = (name: string, s: ReturnType<typeof summarize>) =>
    `| ${name} | ${s.count} | ${s.p50} | ${s.p95} | ${s.max} |`;
  const markdown = `## Launcher: start time, and labelling while the model trains

\`pnpm --filter @foreman/launcher bench\` (${results.date.slice(0, 10)}, ${results.machine.cpus} cores, load
average ${results.machine.loadAverage1m} at the start): the start command (\`node apps/launcher/dist/main.js\`,
embedded PostgreSQL, in-process events, site) until the site answers. Then one labeller labels
${results.labels} digits as fast as the API answers while the trainer (its own worker thread, ${results.backend}
backend) retrains every 10 labels: ${results.modelVersions} model versions, training p50 ${results.trainingMs.p50} ms.
Raw numbers: \`bench/results/launcher.json\`.

| start | seconds |
| --- | --- |
| fresh data directory (new cluster, migrations, demo seed, site) | ${results.freshStartSeconds} |
| second start on the same data | ${results.secondStartSeconds} |
| Ctrl-C until everything, PostgreSQL included, has stopped | ${results.stopSeconds} |

| request | count | p50 (ms) | p95 (ms) | max (ms) |
| --- | --- | --- | --- | --- |
${row('POST /projects/:id/next while a model trains', results.nextItemMs.duringTraining)}
${row('POST /projects/:id/next otherwise', results.nextItemMs.otherwise)}
${row('POST /items/:id/labels while a model trains', results.submitLabelMs.duringTraining)}
${row('POST /items/:id/labels otherwise', results.submitLabelMs.otherwise)}`;
  writeBenchmarkResults({
    name: 'launcher',
    results,
    section: { marker: 'launcher:start-and-latency', markdown },
    root: REPO_ROOT,
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

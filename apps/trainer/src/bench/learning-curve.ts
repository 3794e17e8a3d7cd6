/**
 * Learning-curve benchmark on the demo digits (pnpm --filter @foreman/trainer bench).
 *
 * A simulated oracle labels in batches of 10, always the first 10 of the trainer's own ordering (its
 * model, acquisition function and 0.1 shuffle), from 10 to 500 labels; after each batch the model is
 * scored on a fixed held-out 30 % split. Entropy, margin, least-confidence and random order, 5 seeds.
 * To fit in about 10 minutes on 2 cores, each round continues training the previous round's model
 * (warm start, BENCH_EPOCHS_PER_ROUND epochs) instead of the trainer's fresh fit per version.
 * Then the scoring path (keyset pages from PostgreSQL, predict, acquisition, rank, event chunks) is timed
 * on 100k items. Writes bench/results/learning-curve.json and a section of docs/benchmarks.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type * as tf from '@tensorflow/tfjs';
import { loadAverage, writeBenchmarkResults } from '@foreman/bench-kit';
import type { AcquisitionStrategy } from '@foreman/contracts';
import { createDataSource } from '@foreman/database';
import { withTestDatabase } from '@foreman/database/testing';
import { acquisitionScores, rankWithShuffle } from '../acquisition';
import { createRandom, shuffleInPlace } from '../random';
import { PoolScorerService } from '../scoring/pool-scorer.service';
import { rankingEvents } from '../scoring/ranking-events';
import { TrainingDataRepository } from '../retraining/training-data.repository';
import { initialiseBackend } from '../training/backend';
import {
  buildDataset,
  type Dataset,
  type LabelledItem,
  type ModelSpec,
  type Normaliser,
} from '../training/data';
import { createModel } from '../training/model';
import { fitModel, predictProbabilities } from '../training/train';

const env = process.env;
const SEEDS = Number(env.BENCH_SEEDS ?? 5);
const MAX_LABELS = Number(env.BENCH_MAX_LABELS ?? 500);
const BATCH = 10;
const EPOCHS_PER_ROUND = Number(env.BENCH_EPOCHS_PER_ROUND ?? 2);
const SHUFFLE = 0.1;
const SCORING_ITEMS = Number(env.BENCH_SCORING_ITEMS ?? 100_000);
/**
 * cnn (default): the digits project's model ([8, 8] shape). dense: the trainer's logistic model, as for
 * digits imported as flat 64-vectors; several times cheaper per step, for a machine under heavy load.
 */
const MODEL = env.BENCH_MODEL === 'dense' ? 'dense' : 'cnn';
const STRATEGIES = (env.BENCH_STRATEGIES?.split(',') ?? [
  'entropy',
  'margin',
  'least-confidence',
  'random',
]) as AcquisitionStrategy[];
/** A partial run (other model, strategies or seeds) writes only this JSON file, not the committed results. */
const OUTPUT = env.BENCH_OUTPUT;
const THRESHOLDS = [0.9, 0.95];

const root = join(__dirname, '../../../..');
const spec: ModelSpec = {
  shape: [8, 8],
  classes: Array.from({ length: 10 }, (_, d) => String(d)),
  multiLabel: false,
};
const normaliser: Normaliser = { offset: 0, scale: 16 };

interface CurvePoint {
  labels: number;
  accuracy: number;
}

function loadDigits(): LabelledItem[] {
  const text = gunzipSync(readFileSync(join(root, 'data/demo/digits.csv.gz'))).toString('utf8');
  return text
    .trim()
    .split('\n')
    .map((line, index) => {
      const values = line.split(',').map(Number);
      return { itemId: index + 1, input: values.slice(0, 64), values: [[String(values[64])]] };
    });
}

function accuracy(model: tf.LayersModel, test: Dataset): number {
  const probabilities = predictProbabilities(model, test.inputs, test.size, spec);
  let correct = 0;
  for (let row = 0; row < test.size; row++) {
    let best = 0;
    for (let c = 1; c < 10; c++) if (probabilities[row * 10 + c]! > probabilities[row * 10 + best]!) best = c;
    if (test.targets[row * 10 + best] === 1) correct += 1;
  }
  return correct / test.size;
}

async function learningCurve(
  digits: LabelledItem[],
  seed: number,
  strategy: AcquisitionStrategy,
): Promise<CurvePoint[]> {
  const random = createRandom(seed);
  const order = shuffleInPlace(
    digits.map((_, index) => index),
    random,
  );
  const testSize = Math.round(digits.length * 0.3);
  const test = buildDataset(
    order.slice(0, testSize).map((index) => digits[index]!),
    spec,
    normaliser,
  );
  const pool = order.slice(testSize);
  // The same first random batch for every strategy of a seed: nothing to rank by before a model exists.
  const labelled = pool.splice(0, BATCH);
  const pick = createRandom(seed * 7919 + STRATEGIES.indexOf(strategy));
  const model = createModel(spec, seed);
  const curve: CurvePoint[] = [];
  try {
    for (;;) {
      const dataset = buildDataset(
        labelled.map((index) => digits[index]!),
        spec,
        normaliser,
      );
      await fitModel(model, dataset, spec, { epochs: EPOCHS_PER_ROUND, batchSize: 32 });
      curve.push({ labels: labelled.length, accuracy: accuracy(model, test) });
      if (labelled.length >= MAX_LABELS) return curve;
      let next: number[];
      if (strategy === 'random') {
        next = pool.splice(0, BATCH);
      } else {
        const candidates = buildDataset(
          pool.map((index) => digits[index]!),
          spec,
          normaliser,
        );
        const probabilities = predictProbabilities(model, candidates.inputs, candidates.size, spec);
        const scores = acquisitionScores(strategy, probabilities, candidates.size, 10, false, pick);
        const { order } = rankWithShuffle(scores, SHUFFLE, pick);
        const chosen = new Set(Array.from(order.subarray(0, BATCH)));
        next = pool.filter((_, position) => chosen.has(position));
        for (let position = pool.length - 1; position >= 0; position--) {
          if (chosen.has(position)) pool.splice(position, 1);
        }
      }
      labelled.push(...next);
    }
  } finally {
    model.dispose();
  }
}

function labelsToReach(curve: CurvePoint[], threshold: number): number | null {
  return curve.find((point) => point.accuracy >= threshold)?.labels ?? null;
}

function median(values: (number | null)[]): number | null {
  const sorted = values.map((value) => value ?? Infinity).sort((a, b) => a - b);
  const middle = sorted[Math.floor(sorted.length / 2)]!;
  return Number.isFinite(middle) ? middle : null;
}

function scoringThroughput(digits: LabelledItem[]) {
  return withTestDatabase(async (database) => {
    const dataSource = await createDataSource({ url: database.url, poolSize: 2 }).initialize();
    try {
      const [project] = await dataSource.query(
        `INSERT INTO projects (name, classes, input_kind, shape) VALUES ('bench', $1, 'vector', '{8,8}') RETURNING id`,
        [spec.classes],
      );
      await dataSource.query(
        `INSERT INTO items (project_id, external_id, payload, remaining_labels)
       SELECT $1, 'item-' || n, jsonb_build_object('vector', (($2::jsonb) -> (n % $3))), 1
         FROM generate_series(1, $4) AS n`,
        [project.id, JSON.stringify(digits.map((digit) => digit.input)), digits.length, SCORING_ITEMS],
      );
      await dataSource.query('ANALYZE items');
      const model = createModel(spec, 1);
      await fitModel(model, buildDataset(digits.slice(0, 200), spec, normaliser), spec, {
        epochs: 2,
        batchSize: 32,
      });
      const scorer = new PoolScorerService(new TrainingDataRepository(dataSource), {
        SCORING_BATCH_SIZE: 2_000,
      });
      global.gc?.();
      const baseline = process.memoryUsage();
      let peakRss = baseline.rss;
      let peakHeap = baseline.heapUsed;
      const sampler = setInterval(() => {
        const usage = process.memoryUsage();
        peakRss = Math.max(peakRss, usage.rss);
        peakHeap = Math.max(peakHeap, usage.heapUsed);
      }, 20);
      const started = performance.now();
      const pool = await scorer.scorePool({
        project: { id: project.id, inputKind: 'vector', strategy: 'entropy', shuffleProportion: 0.1 },
        model,
        spec,
        normaliser,
        modelVersion: 1,
      });
      const scoredMs = performance.now() - started;
      let chunks = 0;
      let bytes = 0;
      for (const event of rankingEvents(project.id, 1, 'entropy', pool, spec.classes, 5_000)) {
        chunks += 1;
        bytes += JSON.stringify(event).length;
      }
      const totalMs = performance.now() - started;
      clearInterval(sampler);
      model.dispose();
      const mb = (value: number) => Math.round((value / 1024 / 1024) * 10) / 10;
      return {
        items: pool.size,
        scoringSeconds: Math.round(scoredMs) / 1000,
        withEventsSeconds: Math.round(totalMs) / 1000,
        itemsPerSecond: Math.round(pool.size / (totalMs / 1000)),
        chunks,
        eventMegabytes: mb(bytes),
        peakRssMb: mb(peakRss),
        rssGrowthMb: mb(peakRss - baseline.rss),
        peakHeapMb: mb(peakHeap),
      };
    } finally {
      await dataSource.destroy();
    }
  });
}

function markdown(
  result: ReturnType<typeof summarise>,
  scoring: Awaited<ReturnType<typeof scoringThroughput>>,
  meta: Record<string, unknown>,
): string {
  const show = (value: number | null) => (value === null ? `> ${MAX_LABELS}` : String(value));
  const random = result.random!;
  const rows = STRATEGIES.map((strategy) => {
    const entry = result[strategy]!;
    const mine = entry.meanCurveTo[1] ?? null;
    const theirs = random.meanCurveTo[1] ?? null;
    // Random order not reaching 0.95 within the budget makes the saving a lower bound.
    const saving =
      strategy === 'random' || mine === null
        ? '—'
        : theirs === null
          ? `≥ ${Math.round((1 - mine / MAX_LABELS) * 100)} %`
          : `${Math.round((1 - mine / theirs) * 100)} %`;
    return `| ${strategy} | ${show(entry.meanCurveTo[0]!)} | ${show(entry.meanCurveTo[1]!)} | ${show(entry.medianTo[0]!)} / ${show(entry.medianTo[1]!)} | ${entry.reached95}/${SEEDS} | ${entry.finalAccuracy.toFixed(3)} | ${saving} |`;
  });
  const savingOf = (to: (number | null)[] | undefined, base: (number | null)[] | undefined) => {
    const mine = to?.[1] ?? null;
    const theirs = base?.[1] ?? null;
    if (mine === null) return null;
    return { atLeast: theirs === null, percent: Math.round((1 - mine / (theirs ?? MAX_LABELS)) * 100) };
  };
  const meeting = STRATEGIES.filter((strategy) => {
    if (strategy === 'random') return false;
    const onMean = savingOf(result[strategy]?.meanCurveTo, random.meanCurveTo);
    const onMedian = savingOf(result[strategy]?.medianTo, random.medianTo);
    return (onMean?.percent ?? 0) >= 30 && (onMedian?.percent ?? 0) >= 30;
  });
  const verdict =
    `Criterion: the default strategy reaches 0.95 with at least 30 % fewer labels than random order, on the mean ` +
    `curve and on the median over seeds (random order not reaching 0.95 within ${MAX_LABELS} labels makes each ` +
    `saving a lower bound, computed against ${MAX_LABELS}). Met by: ${meeting.length ? meeting.join(', ') : 'none'}.`;
  return [
    '## Trainer: learning curve and scoring throughput',
    '',
    `\`pnpm --filter @foreman/trainer bench\` (apps/trainer/src/bench/learning-curve.ts), ${meta.date}, ${meta.cpus} CPUs ` +
      `(load average ${meta.load} during the run: the machine was shared), backend ${meta.backend}, ${meta.runtimeSeconds} s. ` +
      'Digits from data/demo, a fixed random 30 % held-out split per seed, a simulated oracle labelling in batches of 10 ' +
      `from the trainer's own ordering (its ${MODEL === 'cnn' ? 'CNN for [8, 8] items' : 'logistic model for flat 64-vectors'}, the acquisition function, shuffle proportion ${SHUFFLE}), ` +
      `10 to ${MAX_LABELS} labels, ${SEEDS} seeds. Each round continues training the previous round's model for ` +
      `${EPOCHS_PER_ROUND} epochs (warm start, to fit the time budget; the service retrains from scratch per version).`,
    '',
    '| order | labels to 0.90 (mean curve) | labels to 0.95 (mean curve) | median over seeds (0.90 / 0.95) | seeds reaching 0.95 | accuracy at the last point (mean) | fewer labels than random to 0.95 |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    verdict,
    '',
    `Scoring ${scoring.items.toLocaleString('en')} unlabelled items (keyset pages of 2,000 from PostgreSQL, ${MODEL === 'cnn' ? 'CNN' : 'logistic'} prediction, entropy, ` +
      `shuffle, ${scoring.chunks} ranking events of 5,000 items built): **${scoring.itemsPerSecond.toLocaleString('en')} items/s** ` +
      `(${scoring.withEventsSeconds} s; ${scoring.scoringSeconds} s without building events), peak RSS ${scoring.peakRssMb} MB ` +
      `(+${scoring.rssGrowthMb} MB during scoring), peak heap ${scoring.peakHeapMb} MB, ${scoring.eventMegabytes} MB of event JSON.`,
    '',
  ].join('\n');
}

function summarise(curves: Record<string, CurvePoint[][]>) {
  const summary: Record<
    string,
    {
      meanCurve: CurvePoint[];
      meanCurveTo: (number | null)[];
      medianTo: (number | null)[];
      reached95: number;
      finalAccuracy: number;
    }
  > = {};
  for (const [strategy, runs] of Object.entries(curves)) {
    const meanCurve = runs[0]!.map((point, index) => ({
      labels: point.labels,
      accuracy:
        Math.round((runs.reduce((sum, run) => sum + (run[index]?.accuracy ?? 0), 0) / runs.length) * 10_000) /
        10_000,
    }));
    summary[strategy] = {
      meanCurve,
      meanCurveTo: THRESHOLDS.map((threshold) => labelsToReach(meanCurve, threshold)),
      medianTo: THRESHOLDS.map((threshold) => median(runs.map((run) => labelsToReach(run, threshold)))),
      reached95: runs.filter((run) => labelsToReach(run, 0.95) !== null).length,
      finalAccuracy: meanCurve[meanCurve.length - 1]!.accuracy,
    };
  }
  return summary;
}

async function main(): Promise<void> {
  const started = Date.now();
  const backend = await initialiseBackend('auto', (message) => console.log(message));
  const digits = loadDigits();
  const curves: Record<string, CurvePoint[][]> = {};
  const loads: number[] = [];
  for (let seed = 1; seed <= SEEDS; seed++) {
    for (const strategy of STRATEGIES) {
      const runStarted = Date.now();
      const curve = await learningCurve(digits, seed, strategy);
      (curves[strategy] ??= []).push(curve);
      loads.push(loadAverage(2));
      const last = curve[curve.length - 1]!;
      console.log(
        `seed ${seed} ${strategy}: 0.90 at ${labelsToReach(curve, 0.9) ?? '-'}, 0.95 at ${labelsToReach(curve, 0.95) ?? '-'}, ` +
          `${last.labels} labels -> ${last.accuracy.toFixed(3)} (${((Date.now() - runStarted) / 1000).toFixed(0)} s)`,
      );
    }
  }
  const summary = summarise(curves);
  console.log('scoring throughput...');
  const scoring = await scoringThroughput(digits);
  console.log(JSON.stringify(scoring));
  const meta = {
    date: new Date().toISOString().slice(0, 10),
    cpus: cpus().length,
    load: (loads.reduce((sum, value) => sum + value, 0) / loads.length).toFixed(1),
    backend,
    runtimeSeconds: Math.round((Date.now() - started) / 1000),
  };
  const result = {
    generatedAt: new Date().toISOString(),
    settings: {
      seeds: SEEDS,
      maxLabels: MAX_LABELS,
      batch: BATCH,
      epochsPerRound: EPOCHS_PER_ROUND,
      shuffle: SHUFFLE,
      heldOut: 0.3,
    },
    ...meta,
    strategies: Object.fromEntries(
      STRATEGIES.map((strategy) => [strategy, { ...summary[strategy], runs: curves[strategy] }]),
    ),
    scoring,
  };
  if (OUTPUT) {
    writeFileSync(OUTPUT, `${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const section = markdown(summary, scoring, meta);
  writeBenchmarkResults({
    name: 'learning-curve',
    results: result,
    section: { marker: 'trainer:learning-curve', markdown: section.trimEnd() },
  });
  console.log(section);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/**
 * Issue 10, "peak RSS of every service with 1M items": api, trainer, scheduler and the site (Next.js)
 * as separate processes, a project of N items (perturbed copies of the demo digits, inserted by SQL), then
 * what a working system does with it:
 *   1. the first model: 10 labels, training, scoring every item, the ranking applied to the unranked queue;
 *   2. a second model re-ranking every item, while a labeller works through the site (next item, label,
 *      the project page) from the moment training ends until the queue follows the new model.
 * Each process's VmHWM (peak resident set, /proc/<pid>/status) is read after every phase, and its VmRSS
 * sampled every 200 ms. BENCH_MEMORY_ITEMS sizes (default 100000,1000000: the smaller one shows what grows
 * with the pool), each with fresh processes. BENCH_SITE=false leaves the site out.
 * Results: bench/results/service-memory.json and the launcher:service-memory section of docs/benchmarks.md.
 */
import { cpus } from 'node:os';
import { loadAverage, roundToTenth as round, writeBenchmarkResults } from '@foreman/bench-kit';
import { Client } from 'pg';
import { REPO_ROOT } from '../config/env';
import { ApiSession } from '../harness/api-session';
import { createDigitsProject, type DigitsProject } from './system/digits-project';
import { EventWatcher } from './system/event-watcher';
import { retrainRound, type RoundTiming } from './system/retrain-round';
import {
  logTail,
  memoryOf,
  processTree,
  startServices,
  type RunningServices,
  type ServiceName,
} from './system/service-processes';

 
const env = process.env;
const SIZES = (env.BENCH_MEMORY_ITEMS ?? '100000,1000000').split(',').map(Number);
const SITE = (env.BENCH_SITE ?? 'true') === 'true';
const LABELS_PER_RETRAIN = 10;
const SAMPLE_EVERY_MS = 200;

interface PhaseMemory {
  phase: string;
  seconds: number;
  /** VmHWM of each service's main process at the end of the phase (MiB). */
  peakMiB: Partial<Record<ServiceName, number>>;
  /** Highest VmRSS sampled during the phase, the process and its children together (MiB). */
  sampledMaxRssMiB: Partial<Record<ServiceName, number>>;
  /**
   * Highest V8 heap used and external (ArrayBuffers, native) memory during the phase, from each Node
   * service's /metrics (prom-client's defaults), sampled every second (MiB).
   */
  sampledMaxHeapMiB: Partial<Record<ServiceName, { heapUsed: number; external: number }>>;
  loadAverage: number;
}

/** Samples every service's resident set and keeps the highest per phase. */
class MemorySampler {
  private max: Partial<Record<ServiceName, number>> = {};
  private heap: PhaseMemory['sampledMaxHeapMiB'] = {};
  private readonly timer: NodeJS.Timeout;
  private readonly heapTimer: NodeJS.Timeout;
  private heapSampling = false;

  constructor(private readonly services: RunningServices['services']) {
    this.timer = setInterval(() => this.sample(), SAMPLE_EVERY_MS);
    this.heapTimer = setInterval(() => void this.sampleHeaps(), 1_000);
  }

  private async sampleHeaps(): Promise<void> {
    if (this.heapSampling) return; // a busy service answers late; one request at a time each
    this.heapSampling = true;
    try {
      await Promise.all(
        this.services
          .filter((service) => service.name !== 'site')
          .map(async (service) => {
            const text = await fetch(`http://127.0.0.1:${service.port}/metrics`, {
              signal: AbortSignal.timeout(5_000),
            }).then(
              (response) => response.text(),
              () => '',
            );
            const gauge = (name: string) =>
              Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20;
            const heapUsed = gauge('nodejs_heap_size_used_bytes');
            const external = gauge('nodejs_external_memory_bytes');
            if (Number.isNaN(heapUsed)) return;
            const max = this.heap[service.name];
            this.heap[service.name] = {
              heapUsed: round(Math.max(max?.heapUsed ?? 0, heapUsed)),
              external: round(Math.max(max?.external ?? 0, external)),
            };
          }),
      );
    } finally {
      this.heapSampling = false;
    }
  }

  private sample(): void {
    for (const service of this.services) {
      const rss = processTree(service.pid).reduce((sum, pid) => sum + (memoryOf(pid)?.rssMiB ?? 0), 0);
      this.max[service.name] = Math.max(this.max[service.name] ?? 0, rss);
    }
  }

  async endPhase(phase: string, startedAt: number): Promise<PhaseMemory> {
    this.sample();
    await this.sampleHeaps();
    const peakMiB = Object.fromEntries(
      this.services.map((service) => [service.name, round(memoryOf(service.pid)?.peakMiB ?? NaN)]),
    );
    const sampled = Object.fromEntries(Object.entries(this.max).map(([name, mib]) => [name, round(mib)]));
    const heap = this.heap;
    this.max = {};
    this.heap = {};
    const memory = {
      phase,
      seconds: round((performance.now() - startedAt) / 1000),
      peakMiB,
      sampledMaxRssMiB: sampled,
      sampledMaxHeapMiB: heap,
      loadAverage: loadAverage(2),
    };
    console.log(JSON.stringify(memory));
    return memory;
  }

  /** VmHWM of every process of each service's tree (the site's server may be a child process). */
  treePeaks(): Record<string, { pid: number; peakMiB: number }[]> {
    return Object.fromEntries(
      this.services.map((service) => [
        service.name,
        processTree(service.pid).map((pid) => ({ pid, peakMiB: round(memoryOf(pid)?.peakMiB ?? NaN) })),
      ]),
    );
  }

  stop(): void {
    clearInterval(this.timer);
    clearInterval(this.heapTimer);
  }
}

interface SizeMemory {
  items: number;
  insertSeconds: number;
  seconds: number;
  phases: PhaseMemory[];
  /** VmHWM of each service's main process over the whole run (MiB). */
  peakMiB: PhaseMemory['peakMiB'];
  processTrees: Record<string, { pid: number; peakMiB: number }[]>;
  retrains: ReturnType<typeof summariseRound>[];
  labellingDuringRetrain: Awaited<ReturnType<typeof labelWhileRetraining>>;
}

let running: RunningServices | null = null;

async function main(): Promise<void> {
  const started = new Date();
  const loadStart = loadAverage(2);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void (running?.stop() ?? Promise.resolve()).then(() => process.exit(1)));
  }
  const sizes: SizeMemory[] = [];
  // Fresh processes per size, so each peak belongs to one size.
  for (const items of SIZES) sizes.push(await measureSize(items));
  writeResults({
    date: started.toISOString(),
    machine: { cpus: cpus().length, loadAverage1m: { start: loadStart, end: loadAverage(2) } },
    site: SITE,
    sizes,
  });
}

async function measureSize(items: number): Promise<SizeMemory> {
  const sizeStarted = performance.now();
  let services: RunningServices | null = null;
  let watcher: EventWatcher | null = null;
  let sampler: MemorySampler | null = null;
  try {
    let phaseStarted = performance.now();
    services = await startServices({ site: SITE });
    running = services;
    sampler = new MemorySampler(services.services);
    watcher = await EventWatcher.start(services.amqpUrl);
    const api = await ApiSession.signIn(services.apiUrl, services.adminEmail, services.adminPassword);
    // The labeller goes through the site's /api proxy when the site runs, as a browser would.
    const labeller = services.siteUrl
      ? await ApiSession.signIn(`${services.siteUrl}/api`, services.adminEmail, services.adminPassword)
      : api;
    const phases: PhaseMemory[] = [await sampler.endPhase('started, idle', phaseStarted)];

    phaseStarted = performance.now();
    const digits = await createDigitsProject(api, services.databaseUrl, {
      items,
      retrainEveryLabels: LABELS_PER_RETRAIN,
    });
    phases.push(await sampler.endPhase('items inserted (SQL)', phaseStarted));

    const timeoutMs = 300_000 + items * 2;
    const retrain = (appliedVersion: number) =>
      retrainRound({
        api: labeller,
        watcher: watcher!,
        databaseUrl: services!.databaseUrl,
        projectId: digits.project.id,
        trueClass: digits.trueClass,
        labels: LABELS_PER_RETRAIN,
        appliedVersion,
        timeoutMs,
      });
    phaseStarted = performance.now();
    const first = await retrain(0);
    phases.push(await sampler.endPhase('first model: train, score every item, apply to the unranked queue', phaseStarted));

    phaseStarted = performance.now();
    const labelling = labelWhileRetraining(labeller, services, watcher, digits, first.modelVersion, timeoutMs);
    const second = await retrain(first.modelVersion);
    const during = await labelling;
    phases.push(await sampler.endPhase('second model: re-rank every item, a labeller working meanwhile', phaseStarted));

    return {
      items,
      insertSeconds: round(digits.insertSeconds),
      seconds: round((performance.now() - sizeStarted) / 1000),
      phases,
      peakMiB: phases.at(-1)!.peakMiB,
      processTrees: sampler.treePeaks(),
      retrains: [summariseRound(first), summariseRound(second)],
      labellingDuringRetrain: during,
    };
  } catch (error) {
    for (const service of services?.services ?? []) {
      console.error(`--- ${service.name} log (last lines)\n${logTail(service.logFile, 15)}`);
    }
    throw error;
  } finally {
    sampler?.stop();
    await watcher?.close();
    await services?.stop();
    running = null;
  }
}

/**
 * From the end of the second training until the queue follows it: next item + label through the site,
 * the project page every 10 labels. The retrain threshold is raised first (training has ended by then, so
 * the trigger is spent) so these labels do not start a third training.
 */
async function labelWhileRetraining(
  labeller: ApiSession,
  services: RunningServices,
  watcher: EventWatcher,
  digits: DigitsProject,
  appliedVersion: number,
  timeoutMs: number,
): Promise<{ labels: number; pageViews: number; nextMs: number[]; submitMs: number[] }> {
  const projectId = digits.project.id;
  const version = appliedVersion + 1;
  await watcher.waitFor(
    `model.trained v${version}`,
    (event) =>
      event.projectId === projectId &&
      event.type === 'model.trained.v1' &&
      event.payload.modelVersion === version,
    timeoutMs,
  );
  const client = new Client({ connectionString: services.databaseUrl });
  await client.connect();
  await client.query(`UPDATE projects SET retrain_every_labels = 100000 WHERE id = $1`, [projectId]);
  await client.end();
  const applied = () =>
    watcher.events.some(
      (event) =>
        event.projectId === projectId &&
        event.type === 'queue.updated.v1' &&
        event.payload.modelVersion === version,
    );
  const cookie = services.siteUrl ? await siteCookie(services) : null;
  const nextMs: number[] = [];
  const submitMs: number[] = [];
  let pageViews = 0;
  while (!applied()) {
    let at = Date.now();
    const served = await labeller.next(projectId);
    nextMs.push(Date.now() - at);
    if (served.status !== 'item') break;
    at = Date.now();
    await labeller.label(served.item.id, digits.trueClass(served.item.externalId), served.lease.id);
    submitMs.push(Date.now() - at);
    if (cookie && submitMs.length % 10 === 1) {
      const page = await fetch(`${services.siteUrl}/projects/${projectId}`, { headers: { cookie } });
      await page.text();
      if (!page.ok) throw new Error(`the project page answered ${page.status}`);
      pageViews += 1;
    }
  }
  return { labels: submitMs.length, pageViews, nextMs, submitMs };
}

async function siteCookie(services: RunningServices): Promise<string> {
  const response = await fetch(`${services.siteUrl}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: services.adminEmail, password: services.adminPassword }),
  });
  const cookie = response.headers
    .getSetCookie()
    .map((header) => header.split(';')[0]!)
    .find((pair) => pair.startsWith('foreman_session='));
  if (!cookie) throw new Error(`signing in through the site answered ${response.status} without a session`);
  return cookie;
}

function summariseRound({ submitMs, ...timing }: RoundTiming) {
  return { ...timing, submitMsMax: Math.max(...submitMs) };
}

type Results = {
  date: string;
  machine: { cpus: number; loadAverage1m: { start: number; end: number } };
  site: boolean;
  sizes: SizeMemory[];
};

function writeResults(results: Results): void {
  const names: ServiceName[] = results.site ? ['api', 'trainer', 'scheduler', 'site'] : ['api', 'trainer', 'scheduler'];
  const nodeServices = names.filter((name) => name !== 'site');
  const mib = (value: number | undefined) => (value === undefined || Number.isNaN(value) ? '—' : String(value));
  const count = (value: number) => value.toLocaleString('en-US');
  const seconds = (ms: number) => (ms / 1000).toFixed(1);
  const largest = results.sizes.at(-1)!;
  const peakRows = results.sizes.map(
    (size) =>
      `| ${count(size.items)} | ${names.map((name) => mib(size.peakMiB[name])).join(' | ')} | ${size.seconds} | ` +
      `${size.phases[0]!.loadAverage} – ${size.phases.at(-1)!.loadAverage} |`,
  );
  const phaseRows = largest.phases.map(
    (phase) =>
      `| ${phase.phase} | ${phase.seconds} | ${names.map((name) => `${mib(phase.peakMiB[name])} (${mib(phase.sampledMaxRssMiB[name])})`).join(' | ')} | ${phase.loadAverage} |`,
  );
  const heapRows = results.sizes.flatMap((size) =>
    size.phases.slice(1).map((phase) => {
      const cells = nodeServices.map((name) => {
        const heap = phase.sampledMaxHeapMiB[name];
        return heap ? `${heap.heapUsed} / ${heap.external}` : '—';
      });
      return `| ${count(size.items)} | ${phase.phase} | ${cells.join(' | ')} |`;
    }),
  );
  const retrainText = results.sizes
    .map((size) => {
      const describe = (round: ReturnType<typeof summariseRound>) =>
        `${seconds(round.totalMs)} s from the triggering submit to queue.updated (training ${seconds(round.trainingMs)} s, ` +
        `scoring ${seconds(round.scoringMs)} s, ${round.chunks} chunks in ${seconds(round.chunkPublishingMs)} s, ` +
        `apply transaction ${seconds(round.applyMs)} s; ${count(round.itemsRanked)} items ranked)`;
      const [first, second] = size.retrains;
      const during = size.labellingDuringRetrain;
      return (
        `- ${count(size.items)} items: first model ${describe(first!)}; second ${describe(second!)}. During the second, ` +
        `one labeller gave ${during.labels} labels${results.site ? ` and viewed the project page ${during.pageViews} times through the site` : ''}.`
      );
    })
    .join('\n');
  const markdown = `## Peak RSS of every service with ${count(largest.items)} items (issue 10)

\`pnpm --filter @foreman/launcher bench\` (apps/launcher/src/bench/service-memory.bench.ts, ${results.date.slice(0, 16).replace('T', ' ')} UTC,
${results.machine.cpus} cores, load average ${results.machine.loadAverage1m.start} at the start and ${results.machine.loadAverage1m.end} at the end): api, trainer,
scheduler${results.site ? ' and the site (Next.js standalone server, as its image runs it)' : ''} as separate processes on this machine's PostgreSQL and RabbitMQ, fresh
processes per size. A project of N digits (the demo digits and perturbed copies, inserted by SQL); 10 labels train a
first model, which scores every item and is applied to the unranked queue; 10 more train a second, which re-ranks every
item while a labeller keeps working through the site. Peak = VmHWM of the process (\`/proc/<pid>/status\`), MiB.
Raw numbers: \`bench/results/service-memory.json\`.

| items | ${names.join(' | ')} | run seconds | load avg |
| --- | ${names.map(() => '---').join(' | ')} | --- | --- |
${peakRows.join('\n')}

${count(largest.items)} items, per phase: VmHWM at the end of the phase (the peak so far) and, in brackets, the highest VmRSS
sampled every 200 ms during it.

| phase | seconds | ${names.join(' | ')} | load avg |
| --- | --- | ${names.map(() => '---').join(' | ')} | --- |
${phaseRows.join('\n')}

Where it is, from each service's \`/metrics\` (prom-client) sampled every second: highest V8 heap used / external
(ArrayBuffers, native) memory per phase, MiB. Heap used counts garbage not yet collected; the rest of the resident
set is code, free heap pages and native allocations (TensorFlow in the trainer).

| items | phase | ${nodeServices.join(' | ')} |
| --- | --- | ${nodeServices.map(() => '---').join(' | ')} |
${heapRows.join('\n')}

${retrainText}`;
  writeBenchmarkResults({
    name: 'service-memory',
    results,
    section: { marker: 'launcher:service-memory', markdown },
    root: REPO_ROOT,
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/**
 * Benchmark: applying a 1,000,000-item ranking to the live queue, and what 16 labellers claiming the next
 * item feel while it happens.
 *
 * On a throw-away database (migrated like production) it creates one project with BENCH_ITEMS items
 * (default 1,000,000) through generate_series, applies a first ranking (v1, from the unranked queue), then
 * a re-ranking (v2, every item moves) in chunks of BENCH_CHUNK_SIZE items, as the trainer sends them. All
 * the while 16 labellers claim the next item with the API's claim statement and release it, each at most
 * once every BENCH_CLAIM_EVERY_MS. Claim latency is reported for an idle queue and for claims started
 * while the apply transaction of v2 runs.
 *
 * Writes bench/results/ranking-apply.json and the scheduler's section of docs/benchmarks.md.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { EVENT_TYPES, buildEvent, type RankedItem, type RankingComputedEvent } from '@foreman/contracts';
import { createDataSource } from '@foreman/database';
import { createTestDatabase } from '@foreman/database/testing';
import { RankingRepository } from '../ranking/ranking.repository';
import { RankingService } from '../ranking/ranking.service';

const env = process.env;
const ITEMS = Number(env.BENCH_ITEMS ?? 1_000_000);
const CHUNK_SIZE = Number(env.BENCH_CHUNK_SIZE ?? 10_000);
const LABELLERS = 16;
const CLAIM_EVERY_MS = Number(env.BENCH_CLAIM_EVERY_MS ?? 50);
const IDLE_SECONDS = Number(env.BENCH_IDLE_SECONDS ?? 10);
const ROOT = join(__dirname, '../../../..');

/**
 * apps/api LeaseRepository.claimNext (B2, commit c3aeef0), verbatim but for the returned columns: the
 * caller's live lease, else the first open item by priority DESC, id that the labeller has not labelled
 * or skipped and nobody holds, locked FOR UPDATE SKIP LOCKED, leased and granted in one statement.
 */
const CLAIM_SQL = `
  WITH held AS (
     SELECT l.id, l.item_id, l.expires_at FROM leases l
      WHERE l.project_id = $1 AND l.labeller_id = $2 AND l.expires_at > now()
      ORDER BY l.created_at DESC, l.id DESC LIMIT 1
   ),
   candidate AS (
     SELECT i.id FROM items i
      WHERE NOT EXISTS (SELECT 1 FROM held)
        AND i.project_id = $1
        AND i.remaining_labels > 0
        AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.item_id = i.id AND l.expires_at > now())
        AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.item_id = i.id AND l.labeller_id = $2 AND l.retracted_at IS NULL)
        AND NOT EXISTS (SELECT 1 FROM skips s WHERE s.item_id = i.id AND s.labeller_id = $2)
      ORDER BY i.priority DESC, i.id
      LIMIT 1
        FOR UPDATE OF i SKIP LOCKED
   ),
   claimed AS (
     INSERT INTO leases AS l (project_id, item_id, labeller_id, expires_at)
     SELECT $1, candidate.id, $2, now() + make_interval(secs => $3) FROM candidate
     ON CONFLICT (item_id) DO UPDATE
        SET id = DEFAULT, labeller_id = EXCLUDED.labeller_id,
            created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
      WHERE l.expires_at <= now()
     RETURNING l.id, l.item_id, l.expires_at
   ),
   granted AS (
     INSERT INTO lease_grants (labeller_id, item_id) SELECT $2, item_id FROM claimed ON CONFLICT DO NOTHING
   ),
   chosen AS (SELECT * FROM held UNION ALL SELECT * FROM claimed)
  SELECT c.id AS "leaseId", c.item_id AS "itemId", (SELECT count(*) FROM candidate)::int AS candidates
    FROM (SELECT 1) AS one LEFT JOIN chosen c ON true`;

interface Claim {
  startedAt: number;
  ms: number;
  /** False when the claim found nothing to serve: the API would have told the labeller "done". */
  served: boolean;
}

interface LatencySummary {
  claims: number;
  empty: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

function summarise(claims: Claim[]): LatencySummary {
  const sorted = claims.map((claim) => claim.ms).sort((a, b) => a - b);
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  return {
    claims: claims.length,
    empty: claims.filter((claim) => !claim.served).length,
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    p99Ms: at(0.99),
    maxMs: round(sorted.at(-1) ?? 0),
  };
}

const round = (value: number) => Math.round(value * 10) / 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** 16 labellers, each claiming and releasing the next item in a loop until stopped. */
class Labellers {
  readonly claims: Claim[] = [];
  private running = true;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly clients: Client[],
    private readonly projectId: string,
    private readonly labellerIds: string[],
  ) {}

  start(): void {
    this.loops = this.clients.map((client, i) => this.loop(client, this.labellerIds[i]!));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  private async loop(client: Client, labellerId: string): Promise<void> {
    while (this.running) {
      const startedAt = performance.now();
      let leaseId: number | null = null;
      for (let attempt = 0; attempt < 10; attempt++) {
        const { rows } = await client.query<{ leaseId: number | null; candidates: number }>(CLAIM_SQL, [
          this.projectId,
          labellerId,
          600,
        ]);
        leaseId = rows[0]?.leaseId ?? null;
        if (leaseId !== null || !rows[0]?.candidates) break;
      }
      const ms = performance.now() - startedAt;
      this.claims.push({ startedAt, ms, served: leaseId !== null });
      if (leaseId !== null) await client.query(`DELETE FROM leases WHERE id = $1`, [leaseId]);
      await sleep(Math.max(0, CLAIM_EVERY_MS - (performance.now() - startedAt)));
    }
  }
}

/** A ranking of every item, as the trainer sends it: scores from a seeded generator, ranked by score. */
function ranking(projectId: string, itemIds: number[], modelVersion: number, seed: number): RankingComputedEvent[] {
  let state = seed;
  const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const scored = itemIds.map((itemId) => ({ itemId, score: random() }));
  scored.sort((a, b) => b.score - a.score || a.itemId - b.itemId);
  const items: RankedItem[] = scored.map((item, rank) => ({ ...item, rank }));
  const chunkCount = Math.ceil(items.length / CHUNK_SIZE);
  return Array.from({ length: chunkCount }, (_, chunkIndex) =>
    buildEvent(EVENT_TYPES.rankingComputed, projectId, {
      modelVersion,
      strategy: 'entropy',
      chunkIndex,
      chunkCount,
      items: items.slice(chunkIndex * CHUNK_SIZE, (chunkIndex + 1) * CHUNK_SIZE),
    }),
  );
}

async function applyRanking(service: RankingService, chunks: RankingComputedEvent[]) {
  const started = performance.now();
  for (const chunk of chunks.slice(0, -1)) await service.receiveChunk(chunk);
  const stagedMs = performance.now() - started;
  const applyStartedAt = performance.now();
  const outcome = await service.receiveChunk(chunks.at(-1)!);
  const applyEndedAt = performance.now();
  if (outcome.kind !== 'applied') throw new Error(`expected the last chunk to apply the ranking, got ${outcome.kind}`);
  return {
    stagingMs: round(stagedMs),
    lastChunkMs: round(applyEndedAt - applyStartedAt),
    applyMs: outcome.durationMs,
    itemsRanked: outcome.itemsRanked,
    itemsMoved: outcome.itemsMoved,
    applyStartedAt,
    applyEndedAt,
  };
}

async function main(): Promise<void> {
  Logger.overrideLogger(['error', 'warn']);
  const db = await createTestDatabase();
  const dataSource = await createDataSource({ url: db.url, poolSize: 4, applicationName: 'foreman-bench' }).initialize();
  const clients = Array.from({ length: LABELLERS }, () => new Client({ connectionString: db.url }));
  try {
    await Promise.all(clients.map((client) => client.connect()));
    console.log(`creating a project with ${ITEMS} items`);
    const [project] = (await dataSource.query(
      `INSERT INTO projects (name, classes, input_kind, shape) VALUES ('bench', '{0,1,2,3,4,5,6,7,8,9}', 'vector', '{8,8}') RETURNING id`,
    )) as { id: string }[];
    const projectId = project!.id;
    await dataSource.query(
      `INSERT INTO items (project_id, external_id, payload, remaining_labels)
       SELECT $1, 'item-' || n, jsonb_build_object('vector', jsonb_build_array(n % 17, n % 13, n % 11, n % 7)), 1
         FROM generate_series(1, $2) AS n`,
      [projectId, ITEMS],
    );
    const labellers = (await dataSource.query(
      `INSERT INTO users (email, display_name, role, password_hash)
       SELECT 'labeller' || n || '@bench.test', 'Labeller ' || n, 'labeller', 'x' FROM generate_series(1, $1) AS n
       RETURNING id`,
      [LABELLERS],
    )) as { id: string }[];
    await dataSource.query(`VACUUM ANALYZE items`);
    const itemIds = ((await dataSource.query(`SELECT id FROM items WHERE project_id = $1`, [projectId])) as { id: number }[]).map(
      (row) => row.id,
    );

    const service = new RankingService(dataSource, new RankingRepository(), { publish: async () => undefined });
    console.log('applying ranking v1 (from the unranked queue)');
    const first = await applyRanking(service, ranking(projectId, itemIds, 1, 1));
    console.log(`  ${first.applyMs} ms`);
    await dataSource.query(`VACUUM ANALYZE items`);

    const crowd = new Labellers(clients, projectId, labellers.map((row) => row.id));
    crowd.start();
    console.log(`16 labellers claiming for ${IDLE_SECONDS} s on the idle queue`);
    await sleep(IDLE_SECONDS * 1000);
    const idleEnd = performance.now();
    console.log('applying ranking v2 (a re-ranking: every item moves) while they claim');
    const second = await applyRanking(service, ranking(projectId, itemIds, 2, 2));
    console.log(`  ${second.applyMs} ms`);
    await sleep(1000);
    await crowd.stop();

    const idle = summarise(crowd.claims.filter((claim) => claim.startedAt < idleEnd));
    const duringApply = summarise(
      crowd.claims.filter((claim) => claim.startedAt >= second.applyStartedAt && claim.startedAt < second.applyEndedAt),
    );
    const { applyStartedAt: _s1, applyEndedAt: _e1, ...firstResult } = first;
    const { applyStartedAt: _s2, applyEndedAt: _e2, ...secondResult } = second;
    const results = {
      benchmark: 'ranking-apply',
      date: new Date().toISOString(),
      machine: '2 cores shared with the other services and builds; PostgreSQL 15 on 127.0.0.1',
      items: ITEMS,
      chunkSize: CHUNK_SIZE,
      labellers: LABELLERS,
      claimEveryMs: CLAIM_EVERY_MS,
      firstRanking: firstResult,
      reRanking: secondResult,
      claimIdle: idle,
      claimDuringApply: duringApply,
      targets: {
        applyUnder30s: second.applyMs < 30_000 && first.applyMs < 30_000,
        p95DuringApplyAtMost2xIdle: duringApply.p95Ms <= 2 * idle.p95Ms,
      },
    };
    console.log(JSON.stringify(results, null, 2));
    writeResults(results);
  } finally {
    await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
    await dataSource.destroy();
    await db.drop();
  }
}

type Results = {
  items: number;
  chunkSize: number;
  date: string;
  firstRanking: { applyMs: number; stagingMs: number; itemsMoved: number };
  reRanking: { applyMs: number; stagingMs: number; itemsMoved: number };
  claimIdle: LatencySummary;
  claimDuringApply: LatencySummary;
};

const SECTION_START = '<!-- scheduler:ranking-apply -->';
const SECTION_END = '<!-- /scheduler:ranking-apply -->';

function writeResults(results: Results): void {
  const json = join(ROOT, 'bench/results/ranking-apply.json');
  mkdirSync(dirname(json), { recursive: true });
  writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);

  const row = (name: string, s: LatencySummary) =>
    `| ${name} | ${s.claims} | ${s.p50Ms} | ${s.p95Ms} | ${s.p99Ms} | ${s.maxMs} | ${s.empty} |`;
  const section = [
    SECTION_START,
    '## Scheduler: applying a ranking',
    '',
    `\`pnpm --filter @foreman/scheduler bench\` (${results.date.slice(0, 10)}): ${results.items.toLocaleString('en')} items in one project,`,
    `ranking sent in chunks of ${results.chunkSize.toLocaleString('en')}; 16 labellers claim the next item with the API's claim`,
    'statement and release it, each at most every 50 ms. Raw numbers: `bench/results/ranking-apply.json`.',
    '',
    '| ranking | staging the chunks (ms) | apply transaction (ms) | items moved |',
    '| --- | --- | --- | --- |',
    `| v1, from the unranked queue | ${results.firstRanking.stagingMs} | ${results.firstRanking.applyMs} | ${results.firstRanking.itemsMoved} |`,
    `| v2, re-ranking every item | ${results.reRanking.stagingMs} | ${results.reRanking.applyMs} | ${results.reRanking.itemsMoved} |`,
    '',
    '| claims | count | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | found nothing |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    row('idle queue', results.claimIdle),
    row('during the v2 apply', results.claimDuringApply),
    SECTION_END,
  ].join('\n');
  const docs = join(ROOT, 'docs/benchmarks.md');
  let text: string;
  try {
    text = readFileSync(docs, 'utf8');
  } catch {
    text = '# Benchmarks\n';
  }
  const start = text.indexOf(SECTION_START);
  const end = text.indexOf(SECTION_END);
  text =
    start >= 0 && end > start
      ? `${text.slice(0, start)}${section}${text.slice(end + SECTION_END.length)}`
      : `${text.trimEnd()}\n\n${section}\n`;
  mkdirSync(dirname(docs), { recursive: true });
  writeFileSync(docs, text);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

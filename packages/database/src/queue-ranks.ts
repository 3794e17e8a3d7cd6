/**
 * Each ranking the queue can follow is a partition of queue_ranks of its own, queue_ranks_<ranking id>.
 * A million rows inserted into indexed tables cost 10-17 s on the reference machine, nearly all of it
 * index maintenance; written into a bare table and indexed afterwards (sorted builds) they take under 3 s.
 * Attaching the finished table takes a lock that claims and label writes never wait for, and a
 * superseded ranking goes with a concurrent detach and a drop, not a million-row delete.
 *
 * The partitions are UNLOGGED. A ranking is the trainer's output, recomputed at every retrain, and
 * writing a million rows of it through the WAL made every labeller's commit wait behind it (claim p95
 * 2-5x during an apply; about 1.3x without). The price: after a PostgreSQL crash (not a clean restart)
 * the rankings are empty, and the queue serves open items in import order until the next retrain.
 * Nothing a labeller did is in these tables.
 */

import { uniqueViolation } from './pg-errors';

/** Anything that runs SQL: a TypeORM QueryRunner, EntityManager or DataSource. */
interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** The partition holding ranking `rankingId`'s rows. */
export function queueRanksTable(rankingId: number): string {
  if (!Number.isSafeInteger(rankingId) || rankingId <= 0) throw new Error(`not a ranking id: ${rankingId}`);
  return `queue_ranks_${rankingId}`;
}

export interface AppliedQueueRanking {
  rankingId: number;
  /** Open items the ranking placed. */
  itemsRanked: number;
}

/** The queue_ranks columns a ranking's rows give unless they say otherwise (`shuffled` then stays false). */
export const RANKED_ITEM_COLUMNS = ['item_id', 'rank', 'score', 'predicted_class', 'predicted_probability'];

/** A SELECT of a ranking's rows, with the queue_ranks columns its output columns fill, in order. */
export interface RankedItemRows {
  sql: string;
  params: unknown[];
  columns?: string[];
}

/**
 * Puts a ranking of project `projectId` in force, in the caller's transaction (nothing of it is visible
 * before the commit): records it in queue_rankings, writes its rows into a partition of their own,
 * attaches that and points the project's queue at it. `rows` is a SELECT of `rows.columns` (default
 * RANKED_ITEM_COLUMNS; a column left out keeps its default); only the project's open items are kept, so
 * items labelled since the model scored them never come back. Fails if it names an item twice.
 */
export async function applyQueueRanking(
  db: SqlRunner,
  ranking: { projectId: string; modelVersion: number; strategy: string },
  rows: RankedItemRows,
): Promise<AppliedQueueRanking> {
  const [written] = (await db.query(
    `INSERT INTO queue_rankings (project_id, model_version, strategy) VALUES ($1, $2, $3) RETURNING id`,
    [ranking.projectId, ranking.modelVersion, ranking.strategy],
  )) as { id: number }[];
  const rankingId = written!.id;
  const itemsRanked = await writePartition(db, rankingId, ranking.projectId, rows);
  await db.query(
    `INSERT INTO project_queue_state (project_id, applied_model_version, applied_strategy, applied_ranking_id,
                                      applied_at, items_ranked)
     VALUES ($1, $2, $3, $4, now(), $5)
     ON CONFLICT (project_id) DO UPDATE
       SET applied_model_version = EXCLUDED.applied_model_version, applied_strategy = EXCLUDED.applied_strategy,
           applied_ranking_id = EXCLUDED.applied_ranking_id, applied_at = EXCLUDED.applied_at,
           items_ranked = EXCLUDED.items_ranked`,
    [ranking.projectId, ranking.modelVersion, ranking.strategy, rankingId, itemsRanked],
  );
  return { rankingId, itemsRanked };
}

/** Ranking `rankingId`'s rows, kept to the project's open items, as an attached partition; how many. */
async function writePartition(
  db: SqlRunner,
  rankingId: number,
  projectId: string,
  rows: RankedItemRows,
): Promise<number> {
  const table = queueRanksTable(rankingId);
  // One core, whatever the statement: the other is the labellers'.
  await db.query(`SET LOCAL max_parallel_workers_per_gather = 0`);
  await db.query(`SET LOCAL max_parallel_maintenance_workers = 0`);
  await db.query(
    `CREATE UNLOGGED TABLE ${table} (LIKE queue_ranks INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
                            CHECK (ranking_id = ${rankingId}))`,
  );
  await db.query(
    `INSERT INTO ${table} (ranking_id, ${(rows.columns ?? RANKED_ITEM_COLUMNS).join(', ')})
     SELECT ${rankingId}, source.* FROM (${rows.sql}) AS source`,
    rows.params,
  );
  // Analysed first, so the anti-join below hashes the open items instead of probing them row by row.
  await db.query(`ANALYZE ${table}`);
  await db.query(
    `DELETE FROM ${table} r
      WHERE NOT EXISTS (SELECT 1 FROM items i
                         WHERE i.id = r.item_id AND i.project_id = $1 AND i.remaining_labels > 0)`,
    [projectId],
  );
  // Big sorts, in memory.
  await db.query(`SET LOCAL maintenance_work_mem = '256MB'`);
  // The same definitions as the parent's indexes, so the attach adopts them instead of building others.
  await db
    .query(`CREATE UNIQUE INDEX ${table}_item_key ON ${table} (item_id, ranking_id)`)
    .catch((error: unknown) => {
      const item = /=\((\d+),/.exec(uniqueViolation(error)?.detail ?? '')?.[1];
      throw item ? new Error(`the ranking names item ${item} more than once`) : error;
    });
  await db.query(`CREATE INDEX ${table}_order_idx ON ${table} (ranking_id, rank, item_id)`);
  // (the CHECK above spares the attach a scan proving every row belongs)
  await db.query(`ALTER TABLE queue_ranks ATTACH PARTITION ${table} FOR VALUES IN (${rankingId})`);
  const [count] = (await db.query(`SELECT count(*)::int AS ranked FROM ${table}`)) as { ranked: number }[];
  return count!.ranked;
}

/**
 * Detaches and drops ranking `rankingId`'s partition, if it is still there. Must run outside any
 * transaction (a concurrent detach waits for the claims reading the partition instead of blocking new
 * ones); a detach interrupted half-way is finished here.
 */
export async function dropQueueRanks(db: SqlRunner, rankingId: number): Promise<void> {
  const table = queueRanksTable(rankingId);
  const [partition] = (await db.query(
    `SELECT inhdetachpending AS pending FROM pg_inherits WHERE inhrelid = to_regclass($1)`,
    [table],
  )) as { pending: boolean }[];
  if (partition) {
    await db.query(
      `ALTER TABLE queue_ranks DETACH PARTITION ${table} ${partition.pending ? 'FINALIZE' : 'CONCURRENTLY'}`,
    );
  }
  await db.query(`DROP TABLE IF EXISTS ${table}`);
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** Advisory-lock namespace of the scheduler's per-project locks (the second key is the project's hash). */
export const PROJECT_LOCK_NAMESPACE = 7_201_944;

/** The consumer name under which handled events are recorded in processed_events. */
const CONSUMER = 'scheduler';

export interface RankingChunk {
  projectId: string;
  modelVersion: number;
  chunkIndex: number;
  chunkCount: number;
  strategy: string;
  itemIds: number[];
  scores: number[];
  ranks: number[];
  /** Null when the trainer sent no predictions with this chunk. */
  predictedClasses: (string | null)[] | null;
  predictedProbabilities: (number | null)[] | null;
}

export interface ProjectQueueState {
  appliedModelVersion: number | null;
}

export interface StagedChunks {
  received: number;
  /** Every chunkCount the staged chunks of this version declare (more than one means they disagree). */
  chunkCounts: number[];
}

export interface AppliedRanking {
  /** Open items that took their priority from the ranking. */
  itemsRanked: number;
  /** Items whose priority changed (ranked ones, and open items the ranking left out, reset to 0). */
  itemsMoved: number;
}

/** The scheduler's SQL for staging ranking chunks and applying complete rankings set-based. */
@Injectable()
export class RankingRepository {
  /**
   * Serialises everything the scheduler does to one project's queue until the transaction ends: chunks
   * of one ranking are handled concurrently (prefetch), and only this lock lets the last of them see
   * every other one staged.
   */
  async lockProject(tx: EntityManager, projectId: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [PROJECT_LOCK_NAMESPACE, projectId]);
  }

  /** Records the event as handled; false when it already was (a redelivery). */
  async markProcessed(tx: EntityManager, eventId: string): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2)
       ON CONFLICT DO NOTHING RETURNING event_id`,
      [CONSUMER, eventId],
    );
    return rows.length === 1;
  }

  /** The project's queue state, or null when the project does not exist (any more). */
  async projectState(tx: EntityManager, projectId: string): Promise<ProjectQueueState | null> {
    const rows: { appliedModelVersion: number | null }[] = await tx.query(
      `SELECT s.applied_model_version AS "appliedModelVersion"
         FROM projects p LEFT JOIN project_queue_state s ON s.project_id = p.id
        WHERE p.id = $1`,
      [projectId],
    );
    return rows[0] ?? null;
  }

  /** Stores a chunk until its ranking is complete; a redelivered chunk is stored once. */
  async stageChunk(tx: EntityManager, chunk: RankingChunk): Promise<void> {
    const maxRank = chunk.ranks.reduce((max, rank) => Math.max(max, rank), -1);
    await tx.query(
      `INSERT INTO ranking_chunks (project_id, model_version, chunk_index, chunk_count, strategy,
                                   item_ids, scores, ranks, max_rank, predicted_classes, predicted_probabilities)
       VALUES ($1, $2, $3, $4, $5, $6::integer[], $7::double precision[], $8::integer[], $9,
               $10::text[], $11::double precision[])
       ON CONFLICT (project_id, model_version, chunk_index) DO NOTHING`,
      [
        chunk.projectId,
        chunk.modelVersion,
        chunk.chunkIndex,
        chunk.chunkCount,
        chunk.strategy,
        chunk.itemIds,
        chunk.scores,
        chunk.ranks,
        maxRank < 0 ? null : maxRank,
        chunk.predictedClasses,
        chunk.predictedProbabilities,
      ],
    );
  }

  async stagedChunks(tx: EntityManager, projectId: string, modelVersion: number): Promise<StagedChunks> {
    const rows: { received: number; chunkCounts: number[] }[] = await tx.query(
      `SELECT count(*)::int AS received, coalesce(array_agg(DISTINCT chunk_count), '{}') AS "chunkCounts"
         FROM ranking_chunks WHERE project_id = $1 AND model_version = $2`,
      [projectId, modelVersion],
    );
    return rows[0] ?? { received: 0, chunkCounts: [] };
  }

  /**
   * Puts a complete, staged ranking into the queue, inside the caller's transaction, in a fixed number of
   * set-based statements whatever its size. Ranked open items get priority (top rank + 1 - rank), so rank 0
   * is served first and every ranked item (priority >= 1) comes before open items the ranking does not
   * cover (priority 0: imported after scoring, or left out by the trainer), which then go in import order.
   * Items labelled to completion meanwhile (remaining_labels = 0) are left alone.
   */
  async applyStaged(tx: EntityManager, projectId: string, modelVersion: number): Promise<AppliedRanking> {
    const [top] = (await tx.query(
      `SELECT coalesce(max(max_rank), -1) + 1 AS top FROM ranking_chunks WHERE project_id = $1 AND model_version = $2`,
      [projectId, modelVersion],
    )) as { top: number }[];

    // Big joins and a big sort follow: let them run in memory rather than spill to disk.
    await tx.query(`SET LOCAL work_mem = '256MB'`);
    // The ranking as rows, analysed so the next join hashes instead of probing items once per row.
    await tx.query(`
      CREATE TEMPORARY TABLE ranking_rows (
        item_id integer NOT NULL,
        priority double precision NOT NULL,
        score double precision NOT NULL,
        strategy text NOT NULL,
        predicted_class text,
        predicted_probability double precision
      ) ON COMMIT DROP`);
    await tx.query(
      `INSERT INTO ranking_rows
       SELECT u.item_id, $3::double precision - u.rank, u.score, c.strategy, u.predicted_class, u.predicted_probability
         FROM ranking_chunks c
        CROSS JOIN LATERAL unnest(c.item_ids, c.ranks, c.scores, c.predicted_classes, c.predicted_probabilities)
              AS u(item_id, rank, score, predicted_class, predicted_probability)
        WHERE c.project_id = $1 AND c.model_version = $2`,
      [projectId, modelVersion, top?.top ?? 0],
    );
    await tx.query(`ANALYZE ranking_rows`);
    // The open ranked items, written in the reverse of the order labellers are served now. The update
    // below follows this order, so the rows at the head of the queue are the last it locks: claims (which
    // pass over locked rows) find their item at once for nearly the whole apply. Should the trainer name
    // an item twice, the update takes one of the two.
    await tx.query(
      `CREATE TEMPORARY TABLE ranking_apply ON COMMIT DROP AS
       SELECT r.*, i.priority AS old_priority
         FROM ranking_rows r JOIN items i ON i.id = r.item_id
        WHERE i.project_id = $1 AND i.remaining_labels > 0
        ORDER BY i.priority, i.id DESC`,
      [projectId],
    );

    // Open items this ranking leaves out drop below every ranked one (before the update, so the scan
    // does not also walk the index entries the update adds).
    const [, unranked] = (await tx.query(
      `UPDATE items i SET priority = 0
        WHERE i.project_id = $1 AND i.remaining_labels > 0 AND i.priority <> 0
          AND NOT EXISTS (SELECT 1 FROM ranking_rows r WHERE r.item_id = i.id)`,
      [projectId],
    )) as [unknown, number];

    // A nested loop over ranking_apply in its order, each item found by primary key.
    await tx.query(`SET LOCAL enable_hashjoin = off`);
    await tx.query(`SET LOCAL enable_mergejoin = off`);
    const [counts] = (await tx.query(
      `WITH updated AS (
         UPDATE items i
            SET priority = r.priority, score = r.score, strategy = r.strategy, model_version = $1,
                predicted_class = r.predicted_class, predicted_probability = r.predicted_probability
           FROM ranking_apply r
          WHERE i.id = r.item_id AND i.remaining_labels > 0
         RETURNING r.priority <> r.old_priority AS moved
       )
       SELECT count(*)::int AS ranked, count(*) FILTER (WHERE moved)::int AS moved FROM updated`,
      [modelVersion],
    )) as { ranked: number; moved: number }[];
    await tx.query(`SET LOCAL enable_hashjoin = on`);
    await tx.query(`SET LOCAL enable_mergejoin = on`);

    await tx.query(`DELETE FROM ranking_chunks WHERE project_id = $1 AND model_version <= $2`, [
      projectId,
      modelVersion,
    ]);
    return { itemsRanked: counts?.ranked ?? 0, itemsMoved: (counts?.moved ?? 0) + unranked };
  }

  /** Records which model version's ranking the project's queue now follows. */
  async recordApplied(
    tx: EntityManager,
    projectId: string,
    modelVersion: number,
    strategy: string,
    itemsRanked: number,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO project_queue_state (project_id, applied_model_version, applied_strategy, applied_at, items_ranked)
       VALUES ($1, $2, $3, now(), $4)
       ON CONFLICT (project_id) DO UPDATE
         SET applied_model_version = EXCLUDED.applied_model_version, applied_strategy = EXCLUDED.applied_strategy,
             applied_at = EXCLUDED.applied_at, items_ranked = EXCLUDED.items_ranked`,
      [projectId, modelVersion, strategy, itemsRanked],
    );
  }

  /** Drops chunks of rankings that never completed (a trainer that died mid-way), after `maxAgeSeconds`. */
  async deleteAbandonedChunks(tx: EntityManager, maxAgeSeconds: number): Promise<number> {
    const [, deleted] = (await tx.query(
      `DELETE FROM ranking_chunks WHERE received_at < now() - make_interval(secs => $1)`,
      [maxAgeSeconds],
    )) as [unknown, number];
    return deleted;
  }
}

import { Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import {
  RANKED_ITEM_COLUMNS,
  applyQueueRanking,
  dropQueueRanks,
  type AppliedQueueRanking,
} from '@foreman/database';

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
  /** Null when no item of the chunk was placed by the shuffle. */
  shuffled: boolean[] | null;
}

export interface ProjectQueueState {
  appliedModelVersion: number | null;
  appliedRankingId: number | null;
}

export interface StagedChunks {
  received: number;
  /** Every chunkCount the staged chunks of this version declare (more than one means they disagree). */
  chunkCounts: number[];
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
    const rows: ProjectQueueState[] = await tx.query(
      `SELECT s.applied_model_version AS "appliedModelVersion", s.applied_ranking_id AS "appliedRankingId"
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
                                   item_ids, scores, ranks, max_rank, predicted_classes, predicted_probabilities,
                                   shuffled)
       VALUES ($1, $2, $3, $4, $5, $6::integer[], $7::double precision[], $8::integer[], $9,
               $10::text[], $11::double precision[], $12::boolean[])
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
        chunk.shuffled,
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
   * Puts a complete, staged ranking in force, inside the caller's transaction, in a fixed number of
   * set-based statements whatever its size (see applyQueueRanking): claims follow the previous ranking,
   * and never wait on this one, until the commit.
   */
  async applyStaged(
    tx: EntityManager,
    projectId: string,
    ranking: { modelVersion: number; strategy: string },
  ): Promise<AppliedQueueRanking> {
    const applied = await applyQueueRanking(
      tx,
      { projectId, ...ranking },
      {
        sql: `SELECT u.item_id, u.rank, u.score, u.predicted_class, u.predicted_probability,
                     coalesce(u.shuffled, false)
                FROM ranking_chunks c
               CROSS JOIN LATERAL unnest(c.item_ids, c.ranks, c.scores, c.predicted_classes, c.predicted_probabilities,
                                         c.shuffled)
                     AS u(item_id, rank, score, predicted_class, predicted_probability, shuffled)
               WHERE c.project_id = $1 AND c.model_version = $2`,
        params: [projectId, ranking.modelVersion],
        columns: [...RANKED_ITEM_COLUMNS, 'shuffled'],
      },
    );
    await tx.query(`DELETE FROM ranking_chunks WHERE project_id = $1 AND model_version <= $2`, [
      projectId,
      ranking.modelVersion,
    ]);
    return applied;
  }

  /**
   * Ranked items whose rank in ranking `rankingId` differs from the one ranking `previousId` gave them,
   * or that it did not rank. Read after the switch has committed, so the apply does not wait for it.
   */
  async countMoved(db: DataSource, rankingId: number, previousId: number | null): Promise<number> {
    return db.transaction(async (tx) => {
      // One hash join over both partitions, not a million index probes; on one core, the other is the
      // labellers' (a parallel join here stalled their claims by 120 ms).
      await tx.query(`SET LOCAL enable_nestloop = off`);
      await tx.query(`SET LOCAL max_parallel_workers_per_gather = 0`);
      await tx.query(`SET LOCAL work_mem = '256MB'`);
      const [moved] = (await tx.query(
        `SELECT count(*)::int AS n
           FROM queue_ranks r
           LEFT JOIN queue_ranks p ON p.ranking_id = $2 AND p.item_id = r.item_id
          WHERE r.ranking_id = $1 AND p.rank IS DISTINCT FROM r.rank`,
        [rankingId, previousId],
      )) as { n: number }[];
      return moved?.n ?? 0;
    });
  }

  /**
   * Drops the partitions of the project's rankings other than the one its queue follows (after the
   * switch has committed: nothing reads them any more). Outside any transaction (see dropQueueRanks).
   */
  async dropSupersededRankings(db: DataSource, projectId: string): Promise<number> {
    const superseded = (await db.query(
      `SELECT r.id FROM queue_rankings r JOIN project_queue_state s ON s.project_id = r.project_id
        WHERE r.project_id = $1 AND r.id <> s.applied_ranking_id`,
      [projectId],
    )) as { id: number }[];
    for (const { id } of superseded) {
      await dropQueueRanks(db, id);
      await db.query(`DELETE FROM queue_rankings WHERE id = $1`, [id]);
    }
    return superseded.length;
  }

  /**
   * Drops the partitions of rankings whose queue_rankings row is gone: deleting a project (from adminer)
   * deletes its rankings' rows by cascade, but each partition is a table of its own and would stay.
   * Outside any transaction (see dropQueueRanks).
   */
  async dropOrphanedRankings(db: DataSource): Promise<number> {
    const orphans = (await db.query(
      `SELECT p.id FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid,
              LATERAL (SELECT substring(c.relname FROM '^queue_ranks_([0-9]+)$')::int AS id) p
        WHERE i.inhparent = 'queue_ranks'::regclass
          AND NOT EXISTS (SELECT 1 FROM queue_rankings r WHERE r.id = p.id)`,
    )) as { id: number }[];
    for (const { id } of orphans) await dropQueueRanks(db, id);
    return orphans.length;
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

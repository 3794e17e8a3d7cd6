import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { EVENT_TYPES, buildEvent, type RankingComputedEvent } from '@foreman/contracts';
import { EVENT_PUBLISHER, type EventPublisher } from '@foreman/messaging';
import { schedulerMetrics } from '../metrics/scheduler.metrics';
import { RankingRepository, type RankingChunk } from './ranking.repository';

export type ChunkOutcome =
  | { kind: 'duplicate' }
  | { kind: 'unknown-project' }
  | { kind: 'stale'; appliedModelVersion: number }
  | { kind: 'staged'; received: number; chunkCount: number }
  | {
      kind: 'applied';
      rankingId: number;
      previousRankingId: number | null;
      itemsRanked: number;
      itemsMoved: number;
      durationMs: number;
    };

/**
 * Turns a model's ranking into the order labellers are served. Chunks are staged until every chunk of
 * the model version is in; the last one applies the whole ranking in the same transaction, so the queue
 * switches from one ranking to the next in one commit.
 */
@Injectable()
export class RankingService {
  private readonly logger = new Logger(RankingService.name);
  /** The tail of each project's chain of chunks in this process (see `oneAtATime`). */
  private readonly projectTails = new Map<string, Promise<unknown>>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly rankings: RankingRepository,
    @Inject(EVENT_PUBLISHER) private readonly events: EventPublisher,
  ) {}

  /** Handles one ranking.computed chunk; resolves once its effects are committed (then it may be acked). */
  receiveChunk(event: RankingComputedEvent): Promise<ChunkOutcome> {
    return this.oneAtATime(event.projectId, () => this.handleChunk(event));
  }

  /**
   * Chunks of one project wait their turn here rather than on the database lock, each holding a pooled
   * connection: with prefetch, a long apply would otherwise starve the pool (and time out other work).
   * The advisory lock still serialises several scheduler instances.
   */
  private oneAtATime<T>(projectId: string, work: () => Promise<T>): Promise<T> {
    const run = (this.projectTails.get(projectId) ?? Promise.resolve()).then(work);
    const tail = run.catch(() => undefined);
    this.projectTails.set(projectId, tail);
    void tail.then(() => {
      if (this.projectTails.get(projectId) === tail) this.projectTails.delete(projectId);
    });
    return run;
  }

  private async handleChunk(event: RankingComputedEvent): Promise<ChunkOutcome> {
    const { projectId } = event;
    const { modelVersion, chunkIndex, chunkCount, strategy } = event.payload;
    let applyStarted = 0;
    const outcome = await this.db.transaction(async (tx): Promise<ChunkOutcome> => {
      await this.rankings.lockProject(tx, projectId);
      if (!(await this.rankings.markProcessed(tx, event.id))) return { kind: 'duplicate' };
      const state = await this.rankings.projectState(tx, projectId);
      if (!state) return { kind: 'unknown-project' };
      if (state.appliedModelVersion !== null && modelVersion <= state.appliedModelVersion) {
        return { kind: 'stale', appliedModelVersion: state.appliedModelVersion };
      }
      await this.rankings.stageChunk(tx, toChunk(event));
      const staged = await this.rankings.stagedChunks(tx, projectId, modelVersion);
      if (staged.chunkCounts.some((count) => count !== chunkCount)) {
        // Retried, then dead-lettered with this reason: the trainer sent an inconsistent ranking.
        throw new Error(
          `chunks of model version ${modelVersion} disagree on chunkCount (${staged.chunkCounts.join(', ')})`,
        );
      }
      if (staged.received < chunkCount) return { kind: 'staged', received: staged.received, chunkCount };
      applyStarted = performance.now();
      const { rankingId, itemsRanked } = await this.rankings.applyStaged(tx, projectId, {
        modelVersion,
        strategy,
      });
      const previousRankingId = state.appliedRankingId;
      return { kind: 'applied', rankingId, previousRankingId, itemsRanked, itemsMoved: 0, durationMs: 0 };
    });

    schedulerMetrics.rankingChunks.inc({ outcome: outcome.kind });
    const where = `project ${projectId} model v${modelVersion} chunk ${chunkIndex + 1}/${chunkCount}`;
    switch (outcome.kind) {
      case 'applied': {
        // Measured to the commit, which is when labellers start to see the new order.
        outcome.durationMs = Math.round((performance.now() - applyStarted) * 10) / 10;
        outcome.itemsMoved = await this.rankings.countMoved(
          this.db,
          outcome.rankingId,
          outcome.previousRankingId,
        );
        schedulerMetrics.rankingApplySeconds.observe(outcome.durationMs / 1000);
        this.logger.log(
          `applied ${where}: ${outcome.itemsRanked} items ranked, ${outcome.itemsMoved} moved in ${outcome.durationMs} ms`,
        );
        await this.announce(event, outcome.itemsMoved, outcome.durationMs);
        await this.dropSupersededRankings(projectId);
        break;
      }
      case 'staged':
        this.logger.debug(`staged ${where} (${outcome.received}/${outcome.chunkCount} in)`);
        break;
      case 'stale':
        this.logger.log(`ignored ${where}: the queue already follows model v${outcome.appliedModelVersion}`);
        break;
      case 'unknown-project':
        this.logger.warn(`ignored ${where}: no such project`);
        break;
      case 'duplicate':
        this.logger.debug(`ignored ${where}: event ${event.id} was already handled`);
        break;
    }
    return outcome;
  }

  /** Best effort: a ranking left behind (a crash, a failed drop) goes with the next one's clean-up. */
  private async dropSupersededRankings(projectId: string): Promise<void> {
    try {
      const dropped = await this.rankings.dropSupersededRankings(this.db, projectId);
      this.logger.debug(`dropped ${dropped} superseded rankings of project ${projectId}`);
    } catch (error) {
      this.logger.warn(
        `could not drop superseded rankings of project ${projectId}: ${(error as Error).message}`,
      );
    }
  }

  /**
   * queue.updated is for observers (dashboards); the ranking is committed whatever happens here, so a
   * broker outage is logged rather than retried (a retry would be a duplicate and publish nothing).
   */
  private async announce(event: RankingComputedEvent, itemsMoved: number, durationMs: number): Promise<void> {
    try {
      await this.events.publish(
        buildEvent(
          EVENT_TYPES.queueUpdated,
          event.projectId,
          { modelVersion: event.payload.modelVersion, itemsMoved, durationMs },
          event.correlationId,
        ),
      );
    } catch (error) {
      this.logger.warn(
        `could not publish queue.updated for project ${event.projectId}: ${(error as Error).message}`,
      );
    }
  }
}

function toChunk(event: RankingComputedEvent): RankingChunk {
  const { items } = event.payload;
  // The trainer may send its prediction with each item; the queue keeps it for "why this item?".
  const hasPredictions = items.some(
    (item) => item.predictedClass != null || item.predictedProbability != null,
  );
  return {
    projectId: event.projectId,
    modelVersion: event.payload.modelVersion,
    chunkIndex: event.payload.chunkIndex,
    chunkCount: event.payload.chunkCount,
    strategy: event.payload.strategy,
    itemIds: items.map((item) => item.itemId),
    scores: items.map((item) => item.score),
    ranks: items.map((item) => item.rank),
    predictedClasses: hasPredictions ? items.map((item) => item.predictedClass ?? null) : null,
    predictedProbabilities: hasPredictions ? items.map((item) => item.predictedProbability ?? null) : null,
    shuffled: items.some((item) => item.shuffled) ? items.map((item) => item.shuffled === true) : null,
  };
}

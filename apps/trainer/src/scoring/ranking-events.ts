import {
  EVENT_TYPES,
  buildEvent,
  type AcquisitionStrategy,
  type RankedItem,
  type RankingComputedEvent,
} from '@foreman/contracts';
import type { RankedPool } from './pool-scorer.service';

/**
 * The ranking as ranking.computed events of at most `chunkSize` items each, in serving order. An empty
 * pool still gets one (empty) chunk, so the scheduler learns the version was computed. Built lazily, so
 * only one chunk's objects exist at a time.
 */
export function* rankingEvents(
  projectId: string,
  modelVersion: number,
  strategy: AcquisitionStrategy,
  pool: RankedPool,
  classes: readonly string[],
  chunkSize: number,
): Generator<RankingComputedEvent> {
  const chunkCount = Math.max(1, Math.ceil(pool.size / chunkSize));
  for (let chunkIndex = 0; chunkIndex < chunkCount; chunkIndex++) {
    const items: RankedItem[] = [];
    const end = Math.min(pool.size, (chunkIndex + 1) * chunkSize);
    for (let rank = chunkIndex * chunkSize; rank < end; rank++) {
      const index = pool.order[rank]!;
      items.push({
        itemId: pool.itemIds[index]!,
        score: round(pool.scores[index]!),
        rank,
        predictedClass: classes[pool.predictedClass[index]!]!,
        predictedProbability: Math.min(1, Math.max(0, round(pool.predictedProbability[index]!))),
        ...(pool.shuffled[rank] ? { shuffled: true } : {}),
      });
    }
    yield buildEvent(EVENT_TYPES.rankingComputed, projectId, {
      modelVersion,
      strategy,
      chunkIndex,
      chunkCount,
      items,
    });
  }
}

/** Six decimals are plenty for ordering and display, and keep the events small. */
function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

import { Injectable } from '@nestjs/common';
import type { ProgressResponse } from '@foreman/contracts';
import type { ProjectEntity } from '@foreman/database';
import { ProgressRepository } from './progress.repository';

/** Hours in the progress timeline at most: 90 days. */
const TIMELINE_HOURS = 90 * 24;

/** A part of the progress that took less than this to count is counted afresh for every request. */
const EXACT_BELOW_MS = 100;
/**
 * A slower part is reused for this many times what its count took, so however many dashboards poll a large
 * project (every 2 s each), counting it keeps at most about a tenth of a core busy. At a million items and
 * labels agreement takes seconds, so it may be a minute old; the item counts stay near exact.
 */
const REUSE_COST_FACTOR = 10;
const MAX_REUSE_MS = 5 * 60_000;
/**
 * Once past its reuse time, a slow part is still answered while its next count runs (nobody waits seconds
 * for it every minute), unless it is more than this past due (a project nobody looked at for a while).
 */
const STALE_GRACE_MS = 10 * 60_000;

interface Counted<T> {
  value: T;
  countedAt: number;
  tookMs: number;
}

/**
 * GET /projects/:id/progress. Each of its five parts is one statement over the project's rows, so on a
 * large project each costs in proportion to its items or labels; a part that is slow to count is counted
 * at most once at a time per project on this instance (concurrent requests share the count) and reused
 * for a while (REUSE_COST_FACTOR), then while it is counted again (STALE_GRACE_MS).
 */
@Injectable()
export class ProgressService {
  private readonly counted = new Map<string, Counted<unknown>>();
  private readonly counting = new Map<string, Promise<Counted<unknown>>>();

  constructor(private readonly progress: ProgressRepository) {}

  async forProject(project: ProjectEntity): Promise<ProgressResponse> {
    // A part is reused only under the settings it was counted with: the API applies a new labels per item
    // to the items' remaining labels at once, and the admin who changed it expects to see it at once.
    const { id, labelsPerItem, classes } = project;
    const [counts, waitingCounts, { labellers, agreement }, classDistribution, timeline] = await Promise.all([
      this.reuseOrCount(`${id}/items/${labelsPerItem}`, () => this.progress.itemCounts(id)),
      this.reuseOrCount(`${id}/waiting/${labelsPerItem}`, () => this.progress.waitingCounts(id)),
      this.reuseOrCount(`${id}/labellers`, () => this.progress.labellersAndAgreement(id)),
      this.reuseOrCount(`${id}/classes/${JSON.stringify(classes)}`, () =>
        this.progress.classDistribution(id, classes),
      ),
      this.reuseOrCount(`${id}/timeline`, () => this.progress.timeline(id, TIMELINE_HOURS)),
    ]);
    return { ...counts, ...waitingCounts, labellers, classDistribution, agreement, timeline };
  }

  /** The part counted under `key` (the project, the part and the settings it depends on). */
  private async reuseOrCount<T>(key: string, count: () => Promise<T>): Promise<T> {
    const last = this.counted.get(key) as Counted<T> | undefined;
    const pastDueMs = last ? Date.now() - last.countedAt - reuseForMs(last.tookMs) : Infinity;
    if (pastDueMs < 0) return last!.value;
    let counting = this.counting.get(key) as Promise<Counted<T>> | undefined;
    if (!counting) {
      counting = this.countNow(key, count).finally(() => this.counting.delete(key));
      this.counting.set(key, counting);
    }
    if (pastDueMs < STALE_GRACE_MS) {
      counting.catch(() => undefined); // (a failed count is tried again by the next request)
      return last!.value;
    }
    return (await counting).value;
  }

  private async countNow<T>(key: string, count: () => Promise<T>): Promise<Counted<T>> {
    const countedAt = Date.now();
    const counted = { value: await count(), countedAt, tookMs: Date.now() - countedAt };
    this.forgetExpired();
    if (reuseForMs(counted.tookMs) > 0) this.counted.set(key, counted);
    else this.counted.delete(key);
    return counted;
  }

  /** Keeps the map to the parts that may still be answered (a deleted project's, too, go in time). */
  private forgetExpired(): void {
    const now = Date.now();
    for (const [key, { countedAt, tookMs }] of this.counted) {
      if (now - countedAt >= reuseForMs(tookMs) + STALE_GRACE_MS) this.counted.delete(key);
    }
  }
}

function reuseForMs(tookMs: number): number {
  return tookMs < EXACT_BELOW_MS ? 0 : Math.min(MAX_REUSE_MS, REUSE_COST_FACTOR * tookMs);
}

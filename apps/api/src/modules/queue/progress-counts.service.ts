import { Injectable } from '@nestjs/common';
import type { ProgressCounts } from '@foreman/contracts';
import { QueueRepository, type ProjectCounts } from './queue.repository';

/** Projects smaller than this are counted afresh for every answer (a millisecond or less). */
export const EXACT_BELOW_ITEMS = 2_000;
/**
 * A larger project's counts are reused and refreshed in the background (on one core) once older than this
 * many times the last count took, within MIN/MAX_REFRESH_MS: counting a million items takes about 100 ms
 * (an index-only scan), so it costs at most ~2 % of one core whatever the number of labellers.
 */
const REFRESH_COST_FACTOR = 50;
const MIN_REFRESH_MS = 2_000;
const MAX_REFRESH_MS = 60_000;
/**
 * Past its refresh time by more than this (a project idle on this instance for a while), an answer waits
 * for a count instead of serving the snapshot; within it, one answer gets the old numbers while the count
 * runs (a million items: 100 ms or more that 64 labellers' first answers would otherwise all wait).
 */
const STALE_GRACE_MS = 10 * 60_000;
const MAX_PROJECTS = 1_000;
const MAX_LABELLERS_PER_PROJECT = 1_000;

interface Snapshot {
  project: ProjectCounts;
  /** Live labels per labeller: as counted, plus this instance's own label changes since that count began. */
  mine: Map<string, number>;
  countedAt: number;
  refreshAfterMs: number;
  refreshing: Promise<Snapshot> | null;
  /** Label changes recorded while `refreshing` runs, re-applied to its result. */
  changesDuringRefresh: Map<string, number>;
}

/**
 * The ProgressCounts every next, submit and skip answer carries. Counting reads all the project's items,
 * so doing it for every answer made the counts, not the queue, the cost of labelling (two scans per
 * label: 15-30 ms each at 10,000 items, a second at a million before items_progress_idx). Small projects
 * are still counted exactly each time; larger ones are served from a per-instance snapshot refreshed in
 * the background, so the project-wide numbers may lag by up to the refresh interval (docs/queue.md).
 * `mine` moves at once with the caller's own labels on this instance. A "done" answer carries counts at
 * most MIN_REFRESH_MS old.
 */
@Injectable()
export class ProgressCountsService {
  private readonly snapshots = new Map<string, Snapshot>();
  /** A first count of a project under way: concurrent answers wait for it instead of each scanning. */
  private readonly firstCounts = new Map<string, Promise<unknown>>();

  constructor(private readonly queue: QueueRepository) {}

  async forLabeller(projectId: string, labellerId: string, { recent = false } = {}): Promise<ProgressCounts> {
    let snapshot = this.snapshots.get(projectId);
    const first = snapshot ? undefined : this.firstCounts.get(projectId);
    if (first) {
      await first.catch(() => undefined);
      snapshot = this.snapshots.get(projectId);
    }
    if (!snapshot) return this.countAll(projectId, labellerId);
    const age = Date.now() - snapshot.countedAt;
    if (age > (recent ? MIN_REFRESH_MS : snapshot.refreshAfterMs + STALE_GRACE_MS)) {
      snapshot = await this.refresh(projectId, snapshot, labellerId);
    } else if (age > snapshot.refreshAfterMs && !snapshot.refreshing) {
      void this.refresh(projectId, snapshot).catch(() => undefined); // (the next answer tries again)
    }
    let mine = snapshot.mine.get(labellerId);
    if (mine === undefined) {
      mine = await this.queue.countLabellerLabels(projectId, labellerId);
      if (snapshot.mine.size < MAX_LABELLERS_PER_PROJECT) snapshot.mine.set(labellerId, mine);
    }
    return { ...snapshot.project, mine };
  }

  /** Counts everything for this answer, and keeps the counts of a project that is not small. */
  private async countAll(projectId: string, labellerId: string): Promise<ProgressCounts> {
    const started = Date.now();
    const counting = this.queue.countProgress(projectId, [labellerId]);
    this.firstCounts.set(projectId, counting);
    try {
      const counted = await counting;
      if (counted.project.total >= EXACT_BELOW_ITEMS) {
        this.remember(projectId, counted, started, Date.now() - started);
      }
      return { ...counted.project, mine: counted.mine.get(labellerId) ?? 0 };
    } finally {
      if (this.firstCounts.get(projectId) === counting) this.firstCounts.delete(projectId);
    }
  }

  /** The labeller's label (+1) or retraction (-1) committed on this instance: their `mine` moves at once. */
  recordLabelChange(projectId: string, labellerId: string, change: 1 | -1): void {
    const snapshot = this.snapshots.get(projectId);
    if (!snapshot) return;
    const mine = snapshot.mine.get(labellerId);
    if (mine !== undefined) snapshot.mine.set(labellerId, mine + change);
    if (snapshot.refreshing) {
      const changes = snapshot.changesDuringRefresh;
      changes.set(labellerId, (changes.get(labellerId) ?? 0) + change);
    }
  }

  /** One count at a time per project; concurrent callers share it. */
  private refresh(projectId: string, snapshot: Snapshot, labellerId?: string): Promise<Snapshot> {
    if (snapshot.refreshing && (!labellerId || snapshot.mine.has(labellerId))) return snapshot.refreshing;
    const labellers = [...snapshot.mine.keys()];
    if (labellerId && !snapshot.mine.has(labellerId)) labellers.push(labellerId);
    const started = Date.now();
    snapshot.changesDuringRefresh = new Map();
    const refreshing = this.queue.countProgress(projectId, labellers, { serial: true }).then(
      (counted) => {
        for (const [id, change] of snapshot.changesDuringRefresh) {
          const mine = counted.mine.get(id);
          if (mine !== undefined) counted.mine.set(id, mine + change);
        }
        return this.remember(projectId, counted, started, Date.now() - started);
      },
      (error: unknown) => {
        snapshot.refreshing = null;
        throw error;
      },
    );
    snapshot.refreshing = refreshing;
    return refreshing;
  }

  private remember(
    projectId: string,
    counted: { project: ProjectCounts; mine: Map<string, number> },
    countedAt: number,
    tookMs: number,
  ): Snapshot {
    if (this.snapshots.size >= MAX_PROJECTS && !this.snapshots.has(projectId)) this.forgetIdleProjects();
    const snapshot: Snapshot = {
      ...counted,
      countedAt,
      refreshAfterMs: Math.min(MAX_REFRESH_MS, Math.max(MIN_REFRESH_MS, REFRESH_COST_FACTOR * tookMs)),
      refreshing: null,
      changesDuringRefresh: new Map(),
    };
    this.snapshots.set(projectId, snapshot);
    return snapshot;
  }

  private forgetIdleProjects(): void {
    const now = Date.now();
    for (const [id, snapshot] of this.snapshots) {
      if (now - snapshot.countedAt > snapshot.refreshAfterMs + STALE_GRACE_MS) this.snapshots.delete(id);
    }
  }
}

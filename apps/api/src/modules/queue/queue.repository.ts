import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { ProgressCounts } from '@foreman/contracts';

/** What a labeller's action on an item depends on, read with the item row locked. */
export interface ItemQueueState {
  remainingLabels: number;
  /** Who holds the lease on the item (live or expired but not yet swept), if anyone. */
  leaseHolder: string | null;
  leaseLive: boolean;
  /** Whether the queue has ever served this item to the labeller. */
  servedToLabeller: boolean;
  /** The labeller's live label on the item, if any. */
  labellerLabelId: number | null;
}

/** Projects from this many items on get progress counts that may lag by up to the TTL below. */
const LARGE_PROJECT_ITEMS = 20_000;
const LARGE_PROJECT_COUNTS_TTL_MS = 2_000;

@Injectable()
export class QueueRepository {
  private readonly largeProjectCounts = new Map<
    string,
    { counts: Omit<ProgressCounts, 'mine'>; until: number }
  >();
  /** A project-wide count under way: concurrent callers share it instead of each scanning the project. */
  private readonly countsInFlight = new Map<string, Promise<Omit<ProgressCounts, 'mine'>>>();

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The project an item belongs to, or null for an unknown item. */
  async findItemProject(itemId: number): Promise<string | null> {
    const [row] = (await this.db.query(`SELECT project_id AS "projectId" FROM items WHERE id = $1`, [
      itemId,
    ])) as { projectId: string }[];
    return row?.projectId ?? null;
  }

  /**
   * Locks the item row (claims lock it too, so nobody is handed the item meanwhile) and reads its state as
   * seen by this labeller.
   */
  async lockItemState(tx: EntityManager, itemId: number, labellerId: string): Promise<ItemQueueState> {
    const [row] = (await tx.query(
      `SELECT i.remaining_labels AS "remainingLabels",
              l.labeller_id AS "leaseHolder",
              coalesce(l.expires_at > now(), false) AS "leaseLive",
              EXISTS (SELECT 1 FROM lease_grants g WHERE g.item_id = i.id AND g.labeller_id = $2)
                AS "servedToLabeller",
              (SELECT x.id FROM labels x
                WHERE x.item_id = i.id AND x.labeller_id = $2 AND x.retracted_at IS NULL) AS "labellerLabelId"
         FROM items i
         LEFT JOIN leases l ON l.item_id = i.id
        WHERE i.id = $1
          FOR UPDATE OF i`,
      [itemId, labellerId],
    )) as ItemQueueState[];
    if (!row) throw new Error(`item ${itemId} vanished`); // items are deleted only with their project
    return row;
  }

  /**
   * The project's items in three disjoint groups, and the labeller's own live labels. One scan of the
   * project's items plus two index lookups; for large projects (where that scan costs tens of
   * milliseconds and every next/submit answer carries the counts) the project-wide part is reused for up
   * to LARGE_PROJECT_COUNTS_TTL_MS, and only the labeller's own count is read each time.
   */
  async progressCounts(projectId: string, labellerId: string): Promise<ProgressCounts> {
    const cached = this.largeProjectCounts.get(projectId);
    const shared = cached && cached.until > Date.now() ? cached.counts : this.countsInFlight.get(projectId);
    if (shared) {
      const [{ mine }] = (await this.db.query(
        `SELECT count(*)::int AS mine FROM labels
          WHERE project_id = $1 AND labeller_id = $2 AND retracted_at IS NULL`,
        [projectId, labellerId],
      )) as [{ mine: number }];
      return { ...(await shared), mine };
    }
    const full = this.fullCounts(projectId, labellerId);
    const counts = full.then(({ mine: _mine, ...projectWide }) => projectWide);
    counts.catch(() => undefined); // (a failure reaches this caller through `full`, and any sharer through `counts`)
    this.countsInFlight.set(projectId, counts);
    try {
      return await full;
    } finally {
      this.countsInFlight.delete(projectId);
    }
  }

  private async fullCounts(projectId: string, labellerId: string): Promise<ProgressCounts> {
    const [row] = (await this.db.query(
      `SELECT count(*)::int AS total,
              count(*) FILTER (WHERE i.remaining_labels = 0)::int AS "fullyLabelled",
              count(*) FILTER (WHERE i.remaining_labels > 0 AND i.label_count > 0)::int AS started,
              (SELECT count(*)::int FROM leases l JOIN items li ON li.id = l.item_id
                WHERE l.project_id = $1 AND l.expires_at > now()
                  AND li.label_count = 0 AND li.remaining_labels > 0) AS "leasedUnstarted",
              (SELECT count(*)::int FROM labels x
                WHERE x.project_id = $1 AND x.labeller_id = $2 AND x.retracted_at IS NULL) AS mine
         FROM items i
        WHERE i.project_id = $1`,
      [projectId, labellerId],
    )) as { total: number; fullyLabelled: number; started: number; leasedUnstarted: number; mine: number }[];
    const { total, fullyLabelled, started, leasedUnstarted, mine } = row!;
    const inProgress = started + leasedUnstarted;
    const counts = { total, fullyLabelled, inProgress, remaining: total - fullyLabelled - inProgress };
    if (total >= LARGE_PROJECT_ITEMS) this.rememberLargeProjectCounts(projectId, counts);
    return { ...counts, mine };
  }

  private rememberLargeProjectCounts(projectId: string, counts: Omit<ProgressCounts, 'mine'>): void {
    const now = Date.now();
    if (this.largeProjectCounts.size > 1_000) {
      for (const [id, entry] of this.largeProjectCounts) if (entry.until <= now) this.largeProjectCounts.delete(id);
    }
    this.largeProjectCounts.set(projectId, { counts, until: now + LARGE_PROJECT_COUNTS_TTL_MS });
  }
}

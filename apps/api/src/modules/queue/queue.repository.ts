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

/**
 * Locks item $1 and reads its state as labeller $2 sees it (ItemQueueState). Shared with the labellers
 * bench, whose pgbench floor runs this very statement.
 */
export const LOCK_ITEM_STATE_SQL = `SELECT i.remaining_labels AS "remainingLabels",
          l.labeller_id AS "leaseHolder",
          coalesce(l.expires_at > now(), false) AS "leaseLive",
          EXISTS (SELECT 1 FROM lease_grants g WHERE g.item_id = i.id AND g.labeller_id = $2)
            AS "servedToLabeller",
          (SELECT x.id FROM labels x
            WHERE x.item_id = i.id AND x.labeller_id = $2 AND x.retracted_at IS NULL) AS "labellerLabelId"
     FROM items i
     LEFT JOIN leases l ON l.item_id = i.id
    WHERE i.id = $1
      FOR UPDATE OF i`;

/** A project's items in the three disjoint groups of ProgressCounts, and their sum. */
export type ProjectCounts = Omit<ProgressCounts, 'mine'>;

/**
 * Select-list columns over project $1's items (`items i`) from which projectCounts makes the groups: the
 * queue's answers and GET /projects/:id/progress count alike.
 */
export const ITEM_GROUP_COUNTS = `count(*)::int AS total,
  count(*) FILTER (WHERE i.remaining_labels = 0)::int AS "fullyLabelled",
  count(*) FILTER (WHERE i.remaining_labels > 0 AND i.label_count > 0)::int AS started,
  (SELECT count(*)::int FROM leases l JOIN items li ON li.id = l.item_id
    WHERE l.project_id = $1 AND l.expires_at > now()
      AND li.label_count = 0 AND li.remaining_labels > 0) AS "leasedUnstarted"`;

export interface ItemGroupCounts {
  total: number;
  fullyLabelled: number;
  started: number;
  leasedUnstarted: number;
}

/** In progress: labelled but not fully, or leased right now; remaining: the rest. */
export function projectCounts({
  total,
  fullyLabelled,
  started,
  leasedUnstarted,
}: ItemGroupCounts): ProjectCounts {
  const inProgress = started + leasedUnstarted;
  return { total, fullyLabelled, inProgress, remaining: total - fullyLabelled - inProgress };
}

@Injectable()
export class QueueRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Locks the item row (claims lock it too, so nobody is handed the item meanwhile) and reads its state as
   * seen by this labeller.
   */
  async lockItemState(tx: EntityManager, itemId: number, labellerId: string): Promise<ItemQueueState> {
    const [row] = (await tx.query(LOCK_ITEM_STATE_SQL, [itemId, labellerId])) as ItemQueueState[];
    if (!row) throw new Error(`item ${itemId} vanished`); // items are deleted only with their project
    return row;
  }

  /**
   * The project's items in three disjoint groups, and each given labeller's live labels: an index-only scan
   * of the project's entries in items_progress_idx (about 100 ms at a million items: ProgressCountsService
   * decides how often) plus an index lookup per labeller.
   */
  async countProgress(
    projectId: string,
    labellerIds: readonly string[],
    { serial = false } = {},
  ): Promise<{ project: ProjectCounts; mine: Map<string, number> }> {
    if (serial) {
      // A background count on one core: a parallel scan would take every core of a small machine at once.
      return this.db.transaction(async (tx) => {
        await tx.query(`SET LOCAL max_parallel_workers_per_gather = 0`);
        return this.countProgressWith(tx, projectId, labellerIds);
      });
    }
    return this.countProgressWith(this.db.manager, projectId, labellerIds);
  }

  private async countProgressWith(
    db: EntityManager,
    projectId: string,
    labellerIds: readonly string[],
  ): Promise<{ project: ProjectCounts; mine: Map<string, number> }> {
    const [row] = (await db.query(
      `SELECT ${ITEM_GROUP_COUNTS},
              (SELECT coalesce(jsonb_object_agg(m.labeller_id, m.labels), '{}')
                 FROM (SELECT x.labeller_id, count(*)::int AS labels FROM labels x
                        WHERE x.project_id = $1 AND x.labeller_id = ANY ($2::uuid[]) AND x.retracted_at IS NULL
                        GROUP BY x.labeller_id) m) AS mine
         FROM items i
        WHERE i.project_id = $1`,
      [projectId, labellerIds],
    )) as (ItemGroupCounts & { mine: Record<string, number> })[];
    return {
      project: projectCounts(row!),
      mine: new Map(labellerIds.map((id) => [id, row!.mine[id] ?? 0])),
    };
  }

  /**
   * Why nothing is left for the labeller (a "done" answer): of the project's items that still need labels
   * and that they have not labelled, those they skipped, and those they could take but another labeller
   * holds a live lease on. Only done answers ask, so the scan of the open items costs nothing per label.
   */
  async countLeftFor(
    projectId: string,
    labellerId: string,
  ): Promise<{ skipped: number; heldByOthers: number }> {
    const [row] = (await this.db.query(
      `SELECT count(*) FILTER (WHERE s.item_id IS NOT NULL)::int AS skipped,
              count(*) FILTER (WHERE s.item_id IS NULL AND EXISTS (
                SELECT 1 FROM leases l
                 WHERE l.item_id = i.id AND l.expires_at > now() AND l.labeller_id <> $2))::int AS "heldByOthers"
         FROM items i
         LEFT JOIN skips s ON s.item_id = i.id AND s.labeller_id = $2
        WHERE i.project_id = $1 AND i.remaining_labels > 0
          AND NOT EXISTS (SELECT 1 FROM labels x
                           WHERE x.item_id = i.id AND x.labeller_id = $2 AND x.retracted_at IS NULL)`,
      [projectId, labellerId],
    )) as { skipped: number; heldByOthers: number }[];
    return row ?? { skipped: 0, heldByOthers: 0 };
  }

  /** Forgets the labeller's skips in the project, so the queue offers those items again; how many. */
  async clearSkips(projectId: string, labellerId: string): Promise<number> {
    const [, cleared] = (await this.db.query(
      `DELETE FROM skips s USING items i
        WHERE s.item_id = i.id AND i.project_id = $1 AND s.labeller_id = $2`,
      [projectId, labellerId],
    )) as [unknown, number];
    return cleared;
  }

  /** The labeller's live labels in the project (an index scan over them). */
  async countLabellerLabels(projectId: string, labellerId: string): Promise<number> {
    const [row] = (await this.db.query(
      `SELECT count(*)::int AS mine FROM labels
        WHERE project_id = $1 AND labeller_id = $2 AND retracted_at IS NULL`,
      [projectId, labellerId],
    )) as { mine: number }[];
    return row!.mine;
  }
}

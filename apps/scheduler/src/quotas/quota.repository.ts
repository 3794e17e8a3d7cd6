import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PROJECT_LOCK_NAMESPACE } from '../ranking/ranking.repository';

export interface ProjectQuota {
  projectId: string;
  labelsPerItem: number;
}

/** SQL that keeps items.remaining_labels equal to labels_per_item minus the item's live labels. */
@Injectable()
export class QuotaRepository {
  /** Projects whose labels_per_item changed since their items were last reconciled (or never were). */
  async projectsToReconcile(tx: EntityManager, all: boolean): Promise<string[]> {
    const rows = (await tx.query(
      `SELECT p.id FROM projects p LEFT JOIN project_queue_state s ON s.project_id = p.id
        WHERE $1 OR s.reconciled_labels_per_item IS DISTINCT FROM p.labels_per_item`,
      [all],
    )) as { id: string }[];
    return rows.map((row) => row.id);
  }

  /**
   * The project's labels_per_item, its row locked against changes until the transaction ends; null if the
   * project is gone. In REPEATABLE READ, a change committed since the snapshot fails this with 40001.
   */
  async lockQuota(tx: EntityManager, projectId: string): Promise<ProjectQuota | null> {
    const [row] = (await tx.query(
      `SELECT id AS "projectId", labels_per_item AS "labelsPerItem" FROM projects WHERE id = $1 FOR SHARE`,
      [projectId],
    )) as ProjectQuota[];
    return row ?? null;
  }

  /** Takes the project's scheduler lock if free; false while a ranking is being applied to it. */
  async tryLockProject(tx: EntityManager, projectId: string): Promise<boolean> {
    const [row] = (await tx.query(`SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS locked`, [
      PROJECT_LOCK_NAMESPACE,
      projectId,
    ])) as { locked: boolean }[];
    return row?.locked ?? false;
  }

  /**
   * One set-based statement: every item of the project whose remaining_labels disagrees with
   * labels_per_item minus its live (unretracted) labels is corrected. Returns how many were.
   */
  async reconcileProject(tx: EntityManager, quota: ProjectQuota): Promise<number> {
    const [, repaired] = (await tx.query(
      `UPDATE items i
          SET remaining_labels = greatest($2 - c.live, 0)
         FROM (SELECT it.id, count(l.id)::int AS live
                 FROM items it LEFT JOIN labels l ON l.item_id = it.id AND l.retracted_at IS NULL
                WHERE it.project_id = $1
                GROUP BY it.id) c
        WHERE i.id = c.id AND i.remaining_labels <> greatest($2 - c.live, 0)`,
      [quota.projectId, quota.labelsPerItem],
    )) as [unknown, number];
    await tx.query(
      `INSERT INTO project_queue_state (project_id, reconciled_labels_per_item) VALUES ($1, $2)
       ON CONFLICT (project_id) DO UPDATE SET reconciled_labels_per_item = EXCLUDED.reconciled_labels_per_item`,
      [quota.projectId, quota.labelsPerItem],
    );
    return repaired;
  }
}

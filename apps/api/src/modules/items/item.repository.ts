import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ItemCandidate } from './item-row-validator';

@Injectable()
export class ItemRepository {
  /**
   * Inserts a batch in file order (ids follow it, so the queue serves import order until a model
   * ranks the items); rows whose external id the project already has, from an earlier import or
   * earlier in this batch, are skipped. Returns how many were inserted.
   */
  async insertBatch(
    db: EntityManager,
    project: { id: string; labelsPerItem: number },
    items: ItemCandidate[],
  ): Promise<number> {
    const rows: { inserted: number }[] = await db.query(
      `WITH inserted AS (
         INSERT INTO items (project_id, external_id, payload, remaining_labels)
         SELECT $1, batch.external_id, batch.payload, $2
           FROM unnest($3::text[], $4::jsonb[]) WITH ORDINALITY AS batch (external_id, payload, position)
          ORDER BY batch.position
         ON CONFLICT (project_id, external_id) DO NOTHING
         RETURNING 1)
       SELECT count(*)::int AS inserted FROM inserted`,
      [
        project.id,
        project.labelsPerItem,
        items.map((item) => item.externalId),
        items.map((item) => JSON.stringify(item.payload)),
      ],
    );
    return rows[0]?.inserted ?? 0;
  }

  async countItems(db: EntityManager, projectId: string): Promise<number> {
    const rows: { total: number }[] = await db.query(
      `SELECT count(*)::int AS total FROM items WHERE project_id = $1`,
      [projectId],
    );
    return rows[0]?.total ?? 0;
  }
}

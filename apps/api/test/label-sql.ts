import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';

/**
 * Writes a label straight to the database, keeping the item's counters as the queue does, so progress
 * and export tests set up exact states without going through leases.
 */
export async function insertLabel(
  db: DataSource,
  label: {
    projectId: string;
    itemId: number;
    labellerId: string;
    value: string[];
    at?: string;
    retracted?: boolean;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO labels (project_id, item_id, labeller_id, value, client_request_id, created_at, retracted_at)
     VALUES ($1, $2, $3, $4, $5, coalesce($6::timestamptz, now()), CASE WHEN $7 THEN now() END)`,
    [
      label.projectId,
      label.itemId,
      label.labellerId,
      label.value,
      randomUUID(),
      label.at ?? null,
      label.retracted ?? false,
    ],
  );
  if (!label.retracted) {
    await db.query(
      `UPDATE items SET label_count = label_count + 1, remaining_labels = greatest(remaining_labels - 1, 0)
        WHERE id = $1`,
      [label.itemId],
    );
  }
}

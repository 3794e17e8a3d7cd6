import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

export interface LabelRow {
  id: number;
  projectId: string;
  itemId: number;
  labellerId: string;
  value: string[];
  createdAt: Date;
  retractedAt: Date | null;
}

const LABEL_COLUMNS = `id, project_id AS "projectId", item_id AS "itemId", labeller_id AS "labellerId", value,
  created_at AS "createdAt", retracted_at AS "retractedAt"`;

/** Constraint names from the initial migration, for telling apart the two ways an insert can collide. */
export const SAME_CLIENT_REQUEST = 'labels_labeller_id_client_request_id_key';
export const SAME_ITEM_TWICE = 'labels_one_per_labeller_key';

@Injectable()
export class LabelRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async findById(id: number): Promise<LabelRow | null> {
    const rows = (await this.db.query(`SELECT ${LABEL_COLUMNS} FROM labels WHERE id = $1`, [
      id,
    ])) as LabelRow[];
    return rows[0] ?? null;
  }

  /** The label an earlier request with this client request id created, if any. */
  async findByClientRequestId(labellerId: string, clientRequestId: string): Promise<LabelRow | null> {
    const rows = (await this.db.query(
      `SELECT ${LABEL_COLUMNS} FROM labels WHERE labeller_id = $1 AND client_request_id = $2`,
      [labellerId, clientRequestId],
    )) as LabelRow[];
    return rows[0] ?? null;
  }

  /** The labeller's most recent live label in the project (what undo takes back). */
  async findLatestLive(projectId: string, labellerId: string): Promise<LabelRow | null> {
    const rows = (await this.db.query(
      `SELECT ${LABEL_COLUMNS} FROM labels
        WHERE project_id = $1 AND labeller_id = $2 AND retracted_at IS NULL
        ORDER BY created_at DESC, id DESC
        LIMIT 1`,
      [projectId, labellerId],
    )) as LabelRow[];
    return rows[0] ?? null;
  }

  /**
   * Inserts the label, counts it on its item and ends the labeller's lease on the item: one statement in
   * the caller's transaction. An item that needs no more labels leaves the ranking, so claims never walk
   * over the labelled head of a ranking however long the next one takes to come.
   */
  async insertCountAndRelease(
    tx: EntityManager,
    label: {
      projectId: string;
      itemId: number;
      labellerId: string;
      value: string[];
      clientRequestId: string;
    },
  ): Promise<LabelRow> {
    const [row] = (await tx.query(
      `WITH inserted AS (
         INSERT INTO labels (project_id, item_id, labeller_id, value, client_request_id)
         VALUES ($1, $2, $3, $4, $5)
         RETURNING *
       ),
       counted AS (
         UPDATE items SET remaining_labels = remaining_labels - 1, label_count = label_count + 1
          WHERE id = (SELECT item_id FROM inserted)
         RETURNING remaining_labels
       ),
       unranked AS (
         DELETE FROM queue_ranks WHERE item_id = $2 AND (SELECT remaining_labels FROM counted) = 0
       ),
       released AS (
         DELETE FROM leases WHERE item_id = $2 AND labeller_id = $3
       )
       SELECT ${LABEL_COLUMNS} FROM inserted`,
      [label.projectId, label.itemId, label.labellerId, label.value, label.clientRequestId],
    )) as LabelRow[];
    return row!;
  }

  /** Marks a live label retracted and gives its item the label back to collect. Null if it was not live. */
  async retractAndUncount(tx: EntityManager, labelId: number): Promise<LabelRow | null> {
    const [row] = (await tx.query(
      // (wrapped in a SELECT: TypeORM answers a bare UPDATE … RETURNING as [rows, count])
      `WITH retracted AS (
         UPDATE labels SET retracted_at = now() WHERE id = $1 AND retracted_at IS NULL RETURNING *
       )
       SELECT ${LABEL_COLUMNS} FROM retracted`,
      [labelId],
    )) as LabelRow[];
    if (!row) return null;
    await tx.query(
      `UPDATE items SET remaining_labels = remaining_labels + 1, label_count = label_count - 1 WHERE id = $1`,
      [row.itemId],
    );
    return row;
  }
}

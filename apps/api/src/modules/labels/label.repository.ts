import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { DomainEvent } from '@foreman/contracts';
import { queryNamed } from '@foreman/database';
import { LOCK_ITEM_STATE_SQL, type ItemQueueState } from '../queue/queue.repository';

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
export const SAME_UNDO_REQUEST = 'labels_labeller_retract_request_key';

/** What the item looked like to the labeller, and the label when the statement wrote one. */
export type SubmitStatementResult = ItemQueueState & { label: LabelRow | null };

/**
 * A label submitted in one statement, so one round trip and no explicit transaction: it locks item $1 and
 * reads its state as labeller $2 sees it (LOCK_ITEM_STATE_SQL), and only when that state lets them label
 * it (the rule LabelsService explains when it does not) inserts label $4 (class names, client request id
 * $5) in project $3, counts it on the item, ends the labeller's lease, takes the item out of the ranking
 * once it needs no more labels, and writes outbox event $6 of type $7, envelope $8 with the new label's id.
 * Shared with the labellers bench, whose pgbench floor runs this very statement.
 */
export const SUBMIT_LABEL_SQL = `
  WITH state AS (${LOCK_ITEM_STATE_SQL}),
  allowed AS (
    SELECT 1 FROM state s
     WHERE s."labellerLabelId" IS NULL AND s."remainingLabels" > 0
       AND (s."leaseHolder" = $2 OR (s."servedToLabeller" AND NOT s."leaseLive"))
  ),
  inserted AS (
    INSERT INTO labels (project_id, item_id, labeller_id, value, client_request_id)
    SELECT $3, $1, $2, $4, $5 FROM allowed
    RETURNING *
  ),
  counted AS (
    UPDATE items SET remaining_labels = remaining_labels - 1, label_count = label_count + 1
     WHERE id = (SELECT item_id FROM inserted)
    RETURNING remaining_labels
  ),
  unranked AS (
    DELETE FROM queue_ranks WHERE item_id = $1 AND (SELECT remaining_labels FROM counted) = 0
  ),
  released AS (
    DELETE FROM leases WHERE item_id = $1 AND labeller_id = $2 AND EXISTS (SELECT 1 FROM inserted)
  ),
  event AS (
    INSERT INTO outbox (event_id, event_type, envelope)
    SELECT $6, $7, jsonb_set($8::jsonb, '{payload,labelId}', to_jsonb(inserted.id)) FROM inserted
  )
  SELECT s.*, CASE WHEN inserted.id IS NULL THEN NULL ELSE
           json_build_object('id', inserted.id, 'projectId', inserted.project_id, 'itemId', inserted.item_id,
                             'labellerId', inserted.labeller_id, 'value', inserted.value,
                             'createdAt', inserted.created_at, 'retractedAt', inserted.retracted_at)
         END AS label
    FROM state s LEFT JOIN inserted ON true`;

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

  /** The label an earlier undo with this client request id took back, if any. */
  async findByRetractRequestId(labellerId: string, clientRequestId: string): Promise<LabelRow | null> {
    const rows = (await this.db.query(
      `SELECT ${LABEL_COLUMNS} FROM labels WHERE labeller_id = $1 AND retract_request_id = $2`,
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
   * SUBMIT_LABEL_SQL: the label, its count, the lease's end and `event` (a label.submitted envelope whose
   * payload.labelId the statement sets) when the item's state allows it; the state either way. Null when
   * the item does not exist.
   */
  async submit(
    label: {
      projectId: string;
      itemId: number;
      labellerId: string;
      value: string[];
      clientRequestId: string;
    },
    event: DomainEvent,
  ): Promise<SubmitStatementResult | null> {
    const [row] = await queryNamed<
      ItemQueueState & { label: (Omit<LabelRow, 'createdAt'> & { createdAt: string }) | null }
    >(this.db, 'submit-label', SUBMIT_LABEL_SQL, [
      label.itemId,
      label.labellerId,
      label.projectId,
      label.value,
      label.clientRequestId,
      event.id,
      event.type,
      JSON.stringify(event),
    ]);
    if (!row) return null;
    const { label: written, ...state } = row;
    return {
      ...state,
      label: written && { ...written, createdAt: new Date(written.createdAt), retractedAt: null },
    };
  }

  /**
   * Marks a live label retracted (by the undo request `retractRequestId`, if it names one) and gives its
   * item the label back to collect. Null if it was not live.
   */
  async retractAndUncount(
    tx: EntityManager,
    labelId: number,
    retractRequestId: string | null = null,
  ): Promise<LabelRow | null> {
    const [row] = (await tx.query(
      // (wrapped in a SELECT: TypeORM answers a bare UPDATE … RETURNING as [rows, count])
      `WITH retracted AS (
         UPDATE labels SET retracted_at = now(), retract_request_id = $2
          WHERE id = $1 AND retracted_at IS NULL RETURNING *
       )
       SELECT ${LABEL_COLUMNS} FROM retracted`,
      [labelId, retractRequestId],
    )) as LabelRow[];
    if (!row) return null;
    await tx.query(
      `UPDATE items SET remaining_labels = remaining_labels + 1, label_count = label_count - 1 WHERE id = $1`,
      [row.itemId],
    );
    return row;
  }
}

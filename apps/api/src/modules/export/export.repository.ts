import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import QueryStream from 'pg-query-stream';
import type { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import type { ItemPayload } from '@foreman/contracts';
import { QUEUE_REASON_JOIN, pgPool } from '@foreman/database';

export interface ExportSourceRow {
  itemId: number;
  externalId: string;
  payload: ItemPayload;
  labels: { value: string[]; labellerId: string; labeller: string; createdAt: string }[];
  predictedClass: string | null;
  predictedProbability: number | null;
  modelVersion: number | null;
}

/** Rows fetched from the server per round trip while streaming. */
const BATCH_SIZE = 500;

@Injectable()
export class ExportRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The project's items in id order with their live labels, streamed through a cursor (one statement,
   * so one consistent snapshot) on a connection of its own that goes back to the pool when the stream
   * ends or is destroyed.
   */
  async streamItems(projectId: string): Promise<Readable> {
    const pool = pgPool(this.db);
    const client = await pool.connect();
    const rows = client.query(
      new QueryStream(
        `SELECT i.id AS "itemId", i.external_id AS "externalId", i.payload,
                coalesce(l.labels, '[]'::json) AS labels,
                r.predicted_class AS "predictedClass", r.predicted_probability AS "predictedProbability",
                CASE WHEN r.item_id IS NOT NULL THEN qs.applied_model_version END AS "modelVersion"
           FROM items i
           ${QUEUE_REASON_JOIN}
           LEFT JOIN LATERAL (
             SELECT json_agg(json_build_object('value', x.value, 'labellerId', x.labeller_id,
                                               'labeller', u.display_name, 'createdAt', x.created_at)
                             ORDER BY x.created_at, x.id) AS labels
               FROM labels x JOIN users u ON u.id = x.labeller_id
              WHERE x.item_id = i.id AND x.retracted_at IS NULL) l ON true
          WHERE i.project_id = $1
          ORDER BY i.id`,
        [projectId],
        { batchSize: BATCH_SIZE },
      ),
    );
    let ended = false;
    rows.once('end', () => (ended = true));
    // A stream destroyed half-way (client gone) may leave the connection mid-protocol: discard it.
    rows.once('close', () => client.release(ended ? undefined : true));
    return rows;
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** Rows each sweep deletes at most per table, so a sweep stays short while a backlog is cleared. */
const BATCH_SIZE = 5_000;

/**
 * The event bookkeeping every label leaves behind: the API's published outbox rows and the consumers'
 * processed-event records (de-duplication by event id). Both matter only while an event can still be
 * delivered again, which is seconds to minutes, so after the retention period they are deleted, oldest
 * first. Outbox rows not yet published are never touched.
 */
@Injectable()
export class EventRetentionRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Deletes up to BATCH_SIZE published outbox rows older than `hours` (by the database clock). */
  async deletePublishedOutbox(hours: number): Promise<number> {
    const [, deleted] = (await this.db.query(
      `DELETE FROM outbox WHERE id IN (
         SELECT id FROM outbox WHERE published_at < now() - $1 * interval '1 hour'
          ORDER BY published_at LIMIT $2)`,
      [hours, BATCH_SIZE],
    )) as [unknown, number];
    return deleted;
  }

  /** Deletes up to BATCH_SIZE processed-event records older than `hours`. */
  async deleteProcessedEvents(hours: number): Promise<number> {
    const [, deleted] = (await this.db.query(
      `DELETE FROM processed_events WHERE (consumer, event_id) IN (
         SELECT consumer, event_id FROM processed_events WHERE processed_at < now() - $1 * interval '1 hour'
          ORDER BY processed_at LIMIT $2)`,
      [hours, BATCH_SIZE],
    )) as [unknown, number];
    return deleted;
  }
}

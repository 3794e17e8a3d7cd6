import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { DomainEvent } from '@foreman/contracts';

export interface PendingOutboxEvent {
  id: string;
  envelope: DomainEvent;
}

export type PublishOutcome = { id: string; error?: string };

@Injectable()
export class OutboxRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Writes an event in the caller's transaction, so it exists exactly when the change it reports does. */
  async enqueue(tx: EntityManager, event: DomainEvent): Promise<void> {
    await tx.query(`INSERT INTO outbox (event_id, event_type, envelope) VALUES ($1, $2, $3)`, [
      event.id,
      event.type,
      JSON.stringify(event),
    ]);
  }

  /**
   * Locks up to `limit` due rows (SKIP LOCKED: other API instances take other rows), hands them to
   * `publish`, then records each outcome before the locks are released. Returns how many rows it took.
   */
  async relayBatch(
    limit: number,
    publish: (events: PendingOutboxEvent[]) => Promise<PublishOutcome[]>,
  ): Promise<number> {
    return this.db.transaction(async (tx) => {
      const rows: PendingOutboxEvent[] = await tx.query(
        `SELECT id, envelope FROM outbox
          WHERE published_at IS NULL AND next_attempt_at <= now()
          ORDER BY next_attempt_at, id
          LIMIT $1
          FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (rows.length === 0) return 0;
      const outcomes = await publish(rows);
      const published = outcomes.filter((outcome) => outcome.error === undefined).map((outcome) => outcome.id);
      const failed = outcomes.filter((outcome) => outcome.error !== undefined);
      if (published.length > 0) {
        await tx.query(
          `UPDATE outbox SET published_at = now(), attempts = attempts + 1, last_error = NULL
            WHERE id = ANY($1::bigint[])`,
          [published],
        );
      }
      if (failed.length > 0) {
        await tx.query(
          `UPDATE outbox o
              SET attempts = o.attempts + 1,
                  -- back-off: 1, 2, 4, … seconds, at most a minute
                  next_attempt_at = now() + least(60, power(2, o.attempts)) * interval '1 second',
                  last_error = f.error
             FROM unnest($1::bigint[], $2::text[]) AS f (id, error)
            WHERE o.id = f.id`,
          [failed.map((outcome) => outcome.id), failed.map((outcome) => outcome.error)],
        );
      }
      return rows.length;
    });
  }

  /** After the broker comes back, retry everything now instead of waiting out each row's back-off. */
  async retryAllNow(): Promise<void> {
    await this.db.query(
      `UPDATE outbox SET next_attempt_at = now() WHERE published_at IS NULL AND next_attempt_at > now()`,
    );
  }
}

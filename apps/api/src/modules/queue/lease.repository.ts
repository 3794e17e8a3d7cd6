import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AcquisitionStrategy, ItemPayload } from '@foreman/contracts';
import {
  AVAILABLE_TO_LABELLER,
  CLAIM_NEXT_SQL,
  LEASED_ITEM_COLUMNS,
  QUEUE_REASON_JOIN,
  queryNamed,
} from '@foreman/database';

/** An item leased to a labeller, with what the queue knows about why it came next. */
export interface LeasedItem {
  leaseId: number;
  expiresAt: Date;
  itemId: number;
  externalId: string;
  payload: ItemPayload;
  /** Position in the project's applied ranking (0 first); null when that ranking does not cover it. */
  rank: number | null;
  score: number | null;
  strategy: AcquisitionStrategy | null;
  modelVersion: number | null;
  /** The exploration shuffle, not the score, put it at its rank. */
  shuffled: boolean;
}

/** How often a claim is retried when the item it locked was leased by a transaction it could not yet see. */
const CLAIM_ATTEMPTS = 10;
/** How long a claim waits for item rows another transaction holds locked (a quota repair, say). */
const LOCKED_QUEUE_WAIT_MS = 3_000;
const LOCKED_QUEUE_POLL_MS = 50;

/** Leases: who holds which item until when. Every expiry comes from the database clock. */
@Injectable()
export class LeaseRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The caller's live lease in the project if they hold one, else the next item of the queue leased to
   * them, in one statement (CLAIM_NEXT_CTES says which). Null when nothing is left for them.
   */
  async claimNext(
    projectId: string,
    labellerId: string,
    leaseSeconds: number,
    waitedForLocksMs = 0,
  ): Promise<LeasedItem | null> {
    for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
      const [row] = await queryNamed<LeasedItem & { candidates: number }>(
        this.db,
        'claim-next',
        CLAIM_NEXT_SQL,
        [projectId, labellerId, leaseSeconds],
      );
      if (row?.leaseId != null) return withoutCandidates(row);
      // Nothing to claim, or the one item found was leased by a claim committed after this statement began.
      if (!row?.candidates) {
        return this.waitForLockedItems(projectId, labellerId, leaseSeconds, waitedForLocksMs);
      }
    }
    return null;
  }

  /**
   * SKIP LOCKED finds nothing while another transaction holds every open item row — the scheduler
   * repairing a project's labels-per-item counts locks them all until it commits. "Done" would then be wrong, so while items this labeller
   * could take still exist (read without locking), wait for the lock to go and claim again.
   */
  private async waitForLockedItems(
    projectId: string,
    labellerId: string,
    leaseSeconds: number,
    waitedMs: number,
  ): Promise<LeasedItem | null> {
    if (waitedMs >= LOCKED_QUEUE_WAIT_MS) return null;
    if (!(await this.hasClaimableItems(projectId, labellerId))) return null;
    await new Promise((resolve) => setTimeout(resolve, LOCKED_QUEUE_POLL_MS));
    return this.claimNext(projectId, labellerId, leaseSeconds, waitedMs + LOCKED_QUEUE_POLL_MS);
  }

  private async hasClaimableItems(projectId: string, labellerId: string): Promise<boolean> {
    const [row] = (await this.db.query(
      `SELECT EXISTS (
         SELECT 1 FROM items i
          WHERE i.project_id = $1 AND i.remaining_labels > 0 AND ${AVAILABLE_TO_LABELLER}
       ) AS claimable`,
      [projectId, labellerId],
    )) as { claimable: boolean }[];
    return row?.claimable ?? false;
  }

  /**
   * Leases an item straight back to a labeller (undo), in the caller's transaction, unless someone else
   * holds a live lease on it. Null in that case.
   */
  async leaseBack(
    tx: EntityManager,
    projectId: string,
    labellerId: string,
    itemId: number,
    leaseSeconds: number,
  ): Promise<LeasedItem | null> {
    const [row] = (await tx.query(
      `WITH claimed AS (
         INSERT INTO leases AS l (project_id, item_id, labeller_id, expires_at)
         VALUES ($1, $3, $2, now() + make_interval(secs => $4))
         ON CONFLICT (item_id) DO UPDATE
            SET id = DEFAULT, labeller_id = EXCLUDED.labeller_id,
                created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
          WHERE l.expires_at <= now() OR l.labeller_id = EXCLUDED.labeller_id
         RETURNING l.id, l.item_id, l.expires_at
       ),
       granted AS (
         INSERT INTO lease_grants (labeller_id, item_id)
         SELECT $2, item_id FROM claimed
         ON CONFLICT DO NOTHING
       )
       SELECT ${LEASED_ITEM_COLUMNS} FROM claimed c JOIN items i ON i.id = c.item_id ${QUEUE_REASON_JOIN}`,
      [projectId, labellerId, itemId, leaseSeconds],
    )) as LeasedItem[];
    return row ?? null;
  }

  /** Ends the labeller's lease on the item, if they hold one; whether it was live until now. */
  async release(tx: EntityManager, itemId: number, labellerId: string): Promise<boolean> {
    const [row] = (await tx.query(
      `WITH released AS (DELETE FROM leases WHERE item_id = $1 AND labeller_id = $2 RETURNING expires_at)
       SELECT coalesce(bool_or(expires_at > now()), false) AS live FROM released`,
      [itemId, labellerId],
    )) as { live: boolean }[];
    return row?.live ?? false;
  }

  /** Records that the labeller passed on the item: the queue will not offer it to them again. */
  async recordSkip(tx: EntityManager, itemId: number, labellerId: string): Promise<void> {
    await tx.query(`INSERT INTO skips (item_id, labeller_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
      itemId,
      labellerId,
    ]);
  }
}

function withoutCandidates({
  candidates: _candidates,
  ...item
}: LeasedItem & { candidates: number }): LeasedItem {
  return item;
}

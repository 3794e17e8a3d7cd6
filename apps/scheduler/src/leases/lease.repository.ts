import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

@Injectable()
export class LeaseRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Releases every lease past its expiry by the database's clock, so the items go back to the queue.
   * Safe with several schedulers: each lease is deleted, and counted, by exactly one of them.
   */
  async deleteExpired(): Promise<number> {
    const [, deleted] = (await this.db.query(`DELETE FROM leases WHERE expires_at < now()`)) as [unknown, number];
    return deleted;
  }

  async countLive(): Promise<number> {
    const [row] = (await this.db.query(`SELECT count(*)::int AS live FROM leases`)) as { live: number }[];
    return row?.live ?? 0;
  }
}

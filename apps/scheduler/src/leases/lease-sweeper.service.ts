import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { SCHEDULER_CONFIG, type SchedulerConfig } from '../config/env';
import { schedulerMetrics } from '../metrics/scheduler.metrics';
import { QuotaService } from '../quotas/quota.service';
import { RankingRepository } from '../ranking/ranking.repository';
import { EventRetentionRepository } from '../retention/event-retention.repository';
import { LeaseRepository } from './lease.repository';

/** Chunks of a ranking that has not completed in a day are from a trainer that gave up on it. */
const ABANDONED_CHUNK_SECONDS = 24 * 3600;

/**
 * Every LEASE_SWEEP_INTERVAL_SECONDS: releases expired leases (so abandoned items come back to the
 * queue within one interval), updates the lease gauges, repairs labels-per-item quotas that drifted,
 * drops abandoned ranking chunks and the rankings of deleted projects, and deletes event bookkeeping past
 * EVENT_RETENTION_HOURS. Sweeps never overlap; the next one is scheduled when one ends.
 */
@Injectable()
export class LeaseSweeperService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(LeaseSweeperService.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private firstSweep = true;

  constructor(
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
    @InjectDataSource() private readonly db: DataSource,
    private readonly leases: LeaseRepository,
    private readonly quotas: QuotaService,
    private readonly rankings: RankingRepository,
    private readonly retention: EventRetentionRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One sweep; returns how many leases it released. */
  async sweep(): Promise<number> {
    const expired = await this.leases.deleteExpired();
    schedulerMetrics.leasesExpired.inc(expired);
    schedulerMetrics.leasesLive.set(await this.leases.countLive());
    if (expired > 0) this.logger.log(`released ${expired} expired lease(s)`);

    await this.quotas.reconcile(this.firstSweep);
    this.firstSweep = false;

    const abandoned = await this.rankings.deleteAbandonedChunks(this.db.manager, ABANDONED_CHUNK_SECONDS);
    if (abandoned > 0) this.logger.warn(`dropped ${abandoned} chunk(s) of rankings that never completed`);
    const orphaned = await this.rankings.dropOrphanedRankings(this.db);
    if (orphaned > 0) this.logger.log(`dropped the partitions of ${orphaned} ranking(s) of deleted projects`);

    const hours = this.config.EVENT_RETENTION_HOURS;
    const outbox = await this.retention.deletePublishedOutbox(hours);
    const processed = await this.retention.deleteProcessedEvents(hours);
    if (outbox + processed > 0) {
      this.logger.log(
        `deleted ${outbox} published outbox row(s), ${processed} processed-event record(s) older than ${hours} h`,
      );
    }
    return expired;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.sweepSafely().finally(() => {
        this.running = null;
        this.schedule(this.config.LEASE_SWEEP_INTERVAL_SECONDS * 1000);
      });
    }, delayMs);
  }

  private async sweepSafely(): Promise<void> {
    try {
      await this.sweep();
    } catch (error) {
      this.logger.error(`sweep failed: ${(error as Error).message}`);
    }
  }
}

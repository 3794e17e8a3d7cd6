import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { schedulerMetrics } from '../metrics/scheduler.metrics';
import { QuotaRepository } from './quota.repository';

/** PostgreSQL's codes for a serialization failure and a deadlock: the next sweep simply tries again. */
const RETRYABLE = new Set(['40001', '40P01']);

/**
 * Labels-per-item quotas. The API keeps remaining_labels up to date label by label, and applies a new
 * labels_per_item to them in the same transaction (from each item's label_count); this checks whole
 * projects against their live labels after such a change, and once for every project when the scheduler
 * starts, and repairs any item that drifted.
 */
@Injectable()
export class QuotaService {
  private readonly logger = new Logger(QuotaService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly quotas: QuotaRepository,
  ) {}

  /** Reconciles the projects that need it; `all` reconciles every project. Returns the items repaired. */
  async reconcile(all = false): Promise<number> {
    const projectIds = await this.quotas.projectsToReconcile(this.db.manager, all);
    let repaired = 0;
    for (const projectId of projectIds) {
      try {
        // Repeatable read: a label submitted while the counts are taken makes this fail (and retry on the
        // next sweep) instead of writing a stale count over it.
        repaired += await this.db.transaction('REPEATABLE READ', async (tx) => {
          if (!(await this.quotas.tryLockProject(tx, projectId))) return 0;
          // The quota is read here, not with the list: an admin's later change (which the API applies to
          // the items itself) would otherwise be undone with the earlier one until the next sweep.
          const quota = await this.quotas.lockQuota(tx, projectId);
          return quota ? this.quotas.reconcileProject(tx, quota) : 0;
        });
      } catch (error) {
        if (!RETRYABLE.has((error as { code?: string }).code ?? '')) throw error;
        this.logger.debug(`quota reconcile of project ${projectId} deferred: ${(error as Error).message}`);
      }
    }
    if (repaired > 0) {
      schedulerMetrics.quotaRepairs.inc(repaired);
      this.logger.log(`repaired remaining_labels of ${repaired} items`);
    }
    return repaired;
  }
}

import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ClearSkipsResponse, NextItemResponse, SkipItemResponse } from '@foreman/contracts';
import type { ProjectEntity } from '@foreman/database';
import { queueConflict, refuseIfArchived } from '../../common/queue-conflict';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { LeaseRepository, type LeasedItem } from './lease.repository';
import { ProgressCountsService } from './progress-counts.service';
import { QueueRepository } from './queue.repository';

/** The labelling queue as a labeller sees it: the next item under a lease, and skipping it. */
@Injectable()
export class QueueService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly leases: LeaseRepository,
    private readonly queue: QueueRepository,
    private readonly progress: ProgressCountsService,
  ) {}

  /** POST next in project `projectId`, looked up as the caller may see it (`project`; null: 404). */
  async next(
    user: AuthenticatedUser,
    project: ProjectEntity | null,
    projectId: string,
  ): Promise<NextItemResponse> {
    if (!project) throw new NotFoundException(`project ${projectId} not found`);
    return this.nextIn(project, user.id);
  }

  /** The labeller's next item in a project they may see (their live lease again, if they hold one). */
  async nextIn(project: ProjectEntity, labellerId: string): Promise<NextItemResponse> {
    refuseIfArchived(project);
    const leased = await this.leases.claimNext(project.id, labellerId, project.leaseSeconds);
    return this.answer(project.id, labellerId, leased);
  }

  /** A next-item answer for an item already leased (or none: done). */
  async answer(projectId: string, labellerId: string, leased: LeasedItem | null): Promise<NextItemResponse> {
    // (done: the page tells "all labelled" from "others still hold items" by these counts, so recent ones)
    const progress = await this.progress.forLabeller(projectId, labellerId, { recent: !leased });
    if (!leased)
      return { status: 'done', progress, ...(await this.queue.countLeftFor(projectId, labellerId)) };
    return {
      status: 'item',
      item: { id: leased.itemId, externalId: leased.externalId, payload: leased.payload },
      lease: { id: leased.leaseId, expiresAt: leased.expiresAt.toISOString() },
      reason: {
        rank: leased.rank,
        score: leased.score,
        strategy: leased.strategy,
        modelVersion: leased.modelVersion,
        shuffled: leased.shuffled,
      },
      progress,
    };
  }

  /**
   * Forgets the caller's skips in the project (`project` as they may see it; null: 404), so the items they
   * passed on are offered to them again, and answers their next item. Other labellers' skips stay.
   */
  async clearSkips(
    user: AuthenticatedUser,
    project: ProjectEntity | null,
    projectId: string,
  ): Promise<ClearSkipsResponse> {
    if (!project) throw new NotFoundException(`project ${projectId} not found`);
    refuseIfArchived(project);
    const cleared = await this.queue.clearSkips(project.id, user.id);
    return { cleared, next: await this.nextIn(project, user.id) };
  }

  /**
   * Gives up the caller's live lease on the item without skipping it: the item goes back to the queue at
   * once, for them too, instead of when the lease runs out (the labelling page does this when it is closed).
   * `project` as for skip.
   */
  async release(user: AuthenticatedUser, project: ProjectEntity | null, itemId: number): Promise<void> {
    if (!project) throw new NotFoundException(`item ${itemId} not found`);
    if (!(await this.leases.release(this.db.manager, itemId, user.id))) {
      throw queueConflict(
        'not-leased',
        `you hold no lease on item ${itemId}: it ran out, or the item was labelled, skipped or released`,
      );
    }
  }

  /**
   * Releases the caller's lease on the item and records the skip: the item stays in the queue for
   * everyone else but is not offered to this labeller again. `project` is the item's project as the caller
   * may see it (null: 404).
   */
  async skip(
    user: AuthenticatedUser,
    project: ProjectEntity | null,
    itemId: number,
  ): Promise<SkipItemResponse> {
    if (!project) throw new NotFoundException(`item ${itemId} not found`);
    await this.db.transaction(async (tx) => {
      const state = await this.queue.lockItemState(tx, itemId, user.id);
      if (state.labellerLabelId !== null) {
        throw queueConflict(
          'already-labelled',
          `you have already labelled item ${itemId}; undo that label instead`,
        );
      }
      if (!state.servedToLabeller) {
        throw queueConflict(
          'never-served',
          `item ${itemId} was never served to you; ask for items with POST /projects/${project.id}/next`,
        );
      }
      await this.leases.recordSkip(tx, itemId, user.id);
      await this.leases.release(tx, itemId, user.id);
    });
    return { progress: await this.progress.forLabeller(project.id, user.id) };
  }
}

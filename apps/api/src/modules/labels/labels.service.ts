import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  EVENT_TYPES,
  buildEvent,
  type Label,
  type RetractLabelResponse,
  type SubmitLabelRequest,
  type SubmitLabelResponse,
} from '@foreman/contracts';
import { uniqueViolation, type ProjectEntity } from '@foreman/database';
import { currentCorrelationId } from '@foreman/observability';
import { queueConflict, refuseIfArchived } from '../../common/queue-conflict';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { OutboxRelay } from '../outbox/outbox.relay';
import { OutboxRepository } from '../outbox/outbox.repository';
import { ProjectAccessService } from '../projects/project-access.service';
import { LeaseRepository } from '../queue/lease.repository';
import { ProgressCountsService } from '../queue/progress-counts.service';
import { QueueRepository, type ItemQueueState } from '../queue/queue.repository';
import { QueueService } from '../queue/queue.service';
import { normaliseLabelValue } from './label-value';
import { LabelRepository, SAME_CLIENT_REQUEST, SAME_ITEM_TWICE, type LabelRow } from './label.repository';

export interface SubmitOutcome extends SubmitLabelResponse {
  /** False when this answers a retried request with the label the first one created. */
  created: boolean;
}

/** Submitting and retracting labels. Each change and its event are written in one transaction. */
@Injectable()
export class LabelsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: ProjectAccessService,
    private readonly labels: LabelRepository,
    private readonly leases: LeaseRepository,
    private readonly queue: QueueRepository,
    private readonly queueService: QueueService,
    private readonly outbox: OutboxRepository,
    private readonly relay: OutboxRelay,
    private readonly progress: ProgressCountsService,
  ) {}

  /**
   * Labels an item the queue served to the caller. Accepted while they hold the lease, or after it expired
   * as long as the item still needs labels and nobody else holds a live lease on it; otherwise 409 saying
   * why. A retry with the same clientRequestId answers the label the first request created. `project` is
   * the item's project as the caller may see it (null: 404).
   */
  async submit(
    user: AuthenticatedUser,
    project: ProjectEntity | null,
    itemId: number,
    request: SubmitLabelRequest,
  ): Promise<SubmitOutcome> {
    if (!project) throw new NotFoundException(`item ${itemId} not found`);
    const value = normaliseLabelValue(project, request.value);

    let label: LabelRow;
    try {
      // (labelId is a placeholder until the statement writes the label's id into the envelope)
      const event = buildEvent(
        EVENT_TYPES.labelSubmitted,
        project.id,
        { labelId: 1, itemId, labellerId: user.id, value },
        currentCorrelationId(),
      );
      const outcome = await this.labels.submit(
        {
          projectId: project.id,
          itemId,
          labellerId: user.id,
          value,
          clientRequestId: request.clientRequestId,
        },
        event,
      );
      if (!outcome) throw new Error(`item ${itemId} vanished`); // items are deleted only with their project
      if (!outcome.label) throw refusal(outcome, itemId, user.id, project.id);
      label = outcome.label;
    } catch (error) {
      // A retry (or a concurrent duplicate) of an earlier request lands here, as a conflict with the
      // label that request created or as a duplicate client request id: answer that label.
      const constraint = uniqueViolation(error)?.constraint;
      if (constraint === SAME_CLIENT_REQUEST || error instanceof ConflictException) {
        const first = await this.labels.findByClientRequestId(user.id, request.clientRequestId);
        if (first) return this.replay(project, first, itemId, value, request);
      }
      if (constraint === SAME_ITEM_TWICE) {
        throw queueConflict(
          'already-labelled',
          `you have already labelled item ${itemId}; undo it to change it`,
        );
      }
      throw error;
    }
    this.relay.wake();
    this.progress.recordLabelChange(project.id, user.id, 1);
    return this.answer(project, user.id, label, request, true);
  }

  /** A submit's answer: the label, the caller's progress and, if asked for, their next item. */
  private async answer(
    project: ProjectEntity,
    labellerId: string,
    label: LabelRow,
    request: SubmitLabelRequest,
    created: boolean,
  ): Promise<SubmitOutcome> {
    if (request.next && !project.archived) {
      const next = await this.queueService.nextIn(project, labellerId);
      return { label: toLabel(label), progress: next.progress, next, created };
    }
    return {
      label: toLabel(label),
      progress: await this.progress.forLabeller(project.id, labellerId),
      created,
    };
  }

  /**
   * POST /projects/:id/undo: retracts the caller's most recent live label in the project. A retry with the
   * same clientRequestId (`requestId`) answers the label the first request took back, never the one before.
   */
  async undoLatest(
    user: AuthenticatedUser,
    projectId: string,
    requestId: string | null,
  ): Promise<RetractLabelResponse> {
    const project = await this.access.getForUser(user, projectId);
    const undone = requestId && (await this.labels.findByRetractRequestId(user.id, requestId));
    if (undone) return this.replayUndo(user, project, undone);
    const latest = await this.labels.findLatestLive(project.id, user.id);
    if (!latest) throw new NotFoundException(`you have no label to undo in project ${project.id}`);
    try {
      return await this.retract(user, project, latest, requestId);
    } catch (error) {
      // A concurrent duplicate of this undo took the label back first (its retraction carries the id).
      const again = requestId && (await this.labels.findByRetractRequestId(user.id, requestId));
      if (again && (error instanceof ConflictException || uniqueViolation(error))) {
        return this.replayUndo(user, project, again);
      }
      throw error;
    }
  }

  /** DELETE /labels/:id: retracts one of the caller's own labels; 403 for anyone else's. */
  async retractById(user: AuthenticatedUser, labelId: number): Promise<RetractLabelResponse> {
    const label = await this.labels.findById(labelId);
    const project = label ? await this.access.getForUser(user, label.projectId).catch(notFoundAsNull) : null;
    if (!label || !project) throw new NotFoundException(`label ${labelId} not found`);
    if (label.labellerId !== user.id)
      throw new ForbiddenException(`label ${labelId} is not yours to retract`);
    return this.retract(user, project, label);
  }

  /**
   * Retracts the label, emits label.retracted.v1 and leases the item straight back to the caller so they
   * can label it again — unless another labeller holds a live lease on it by now, in which case the item
   * is back in the queue and the caller gets their next item as usual.
   */
  private async retract(
    user: AuthenticatedUser,
    project: ProjectEntity,
    label: LabelRow,
    requestId: string | null = null,
  ): Promise<RetractLabelResponse> {
    refuseIfArchived(project);
    const { retracted, leased } = await this.db.transaction(async (tx) => {
      await this.queue.lockItemState(tx, label.itemId, user.id);
      const retracted = await this.labels.retractAndUncount(tx, label.id, requestId);
      if (!retracted) throw queueConflict('already-retracted', `label ${label.id} is already retracted`);
      await this.outbox.enqueue(
        tx,
        buildEvent(
          EVENT_TYPES.labelRetracted,
          project.id,
          { labelId: label.id, itemId: label.itemId, labellerId: user.id },
          currentCorrelationId(),
        ),
      );
      const leased = await this.leases.leaseBack(tx, project.id, user.id, label.itemId, project.leaseSeconds);
      return { retracted, leased };
    });
    this.relay.wake();
    this.progress.recordLabelChange(project.id, user.id, -1);
    const next = leased
      ? await this.queueService.answer(project.id, user.id, leased)
      : await this.queueService.nextIn(project, user.id);
    return { label: toLabel(retracted), next };
  }

  /** The answer to a retried undo: the label the first request took back, and the caller's next item. */
  private async replayUndo(
    user: AuthenticatedUser,
    project: ProjectEntity,
    undone: LabelRow,
  ): Promise<RetractLabelResponse> {
    if (undone.projectId !== project.id) {
      throw new ConflictException('this clientRequestId was already used to undo a label in another project');
    }
    return { label: toLabel(undone), next: await this.queueService.nextIn(project, user.id) };
  }

  /** The answer to a retried submit: the label the first request created (and the next item again). */
  private async replay(
    project: ProjectEntity,
    earlier: LabelRow,
    itemId: number,
    value: string[],
    request: SubmitLabelRequest,
  ): Promise<SubmitOutcome> {
    if (earlier.itemId !== itemId) {
      throw new ConflictException(
        `clientRequestId "${request.clientRequestId}" was already used for a label on item ${earlier.itemId}`,
      );
    }
    // A retry sends the same request; another value under the same id is a client's mistake, not a retry.
    if (earlier.value.join('\n') !== value.join('\n')) {
      throw new ConflictException(
        `clientRequestId "${request.clientRequestId}" was already used for the label ${JSON.stringify(earlier.value)} on this item; a retry must send the same value`,
      );
    }
    return this.answer(project, earlier.labellerId, earlier, request, false);
  }
}

/**
 * Why SUBMIT_LABEL_SQL wrote nothing (its `allowed` rule): the caller already labelled the item, it was
 * never served to them, another labeller holds it now, or it needs no more labels.
 */
function refusal(state: ItemQueueState, itemId: number, labellerId: string, projectId: string): Error {
  if (state.labellerLabelId !== null) {
    return queueConflict(
      'already-labelled',
      `you have already labelled item ${itemId} (label ${state.labellerLabelId}); undo it to change it`,
    );
  }
  const holdsLease = state.leaseHolder === labellerId;
  if (!holdsLease && !state.servedToLabeller) {
    return queueConflict(
      'never-served',
      `item ${itemId} was never served to you; ask for items with POST /projects/${projectId}/next`,
    );
  }
  if (!holdsLease && state.leaseLive) {
    return queueConflict(
      'lease-expired',
      `your lease on item ${itemId} expired and another labeller holds it now`,
    );
  }
  if (state.remainingLabels === 0) {
    return holdsLease && state.leaseLive
      ? queueConflict('fully-labelled', `item ${itemId} already has all the labels it needs`)
      : queueConflict(
          'lease-expired',
          `your lease on item ${itemId} expired and the item already has all the labels it needs`,
        );
  }
  return new Error(`item ${itemId}: the submit statement refused a state it should accept`);
}

export function toLabel(row: LabelRow): Label {
  return {
    id: row.id,
    itemId: row.itemId,
    labellerId: row.labellerId,
    value: row.value,
    createdAt: row.createdAt.toISOString(),
    retractedAt: row.retractedAt ? row.retractedAt.toISOString() : null,
  };
}

function notFoundAsNull(error: unknown): null {
  if (error instanceof NotFoundException) return null;
  throw error;
}

import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type {
  ItemsImportedEvent,
  LabelRetractedEvent,
  LabelSubmittedEvent,
  ProjectModelSettingsChangedEvent,
} from '@foreman/contracts';
import { TrainingStateRepository } from './training-state.repository';

/**
 * What an incoming event changes: a counter in training_state, written in the same transaction that
 * records the event id as processed. Once that commits the handler resolves and the message is acked;
 * the training itself is the retrain loop's job, so a burst of label events costs a few trainings.
 */
@Injectable()
export class LabelEventsService {
  private readonly logger = new Logger(LabelEventsService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly states: TrainingStateRepository,
  ) {}

  recordLabelChange(event: LabelSubmittedEvent | LabelRetractedEvent): Promise<void> {
    return this.once(event.id, (tx) => this.states.recordLabelChange(tx, event.projectId));
  }

  recordItemsImported(event: ItemsImportedEvent): Promise<void> {
    if (event.payload.inserted === 0) return this.once(event.id, async () => undefined);
    return this.once(event.id, (tx) => this.states.requestRanking(tx, event.projectId));
  }

  /** A new strategy, class list or shuffle: train and rank again now, without waiting for new labels. */
  recordModelSettingsChanged(event: ProjectModelSettingsChangedEvent): Promise<void> {
    return this.once(event.id, (tx) => this.states.requestRanking(tx, event.projectId));
  }

  private async once(eventId: string, effect: (tx: EntityManager) => Promise<void>): Promise<void> {
    await this.db.transaction(async (tx) => {
      if (!(await this.states.markProcessed(tx, eventId))) {
        this.logger.debug(`event ${eventId} was already handled`);
        return;
      }
      await effect(tx);
    });
  }
}

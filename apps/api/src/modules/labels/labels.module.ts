import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { QueueModule } from '../queue/queue.module';
import { LabelRepository } from './label.repository';
import { LabelsController } from './labels.controller';
import { LabelsService } from './labels.service';

/** Submitting, undoing and retracting labels, each with its event in the outbox. */
@Module({
  imports: [QueueModule, OutboxModule],
  controllers: [LabelsController],
  providers: [LabelsService, LabelRepository],
})
export class LabelsModule {}

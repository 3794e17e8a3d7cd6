import { Module } from '@nestjs/common';
import { LeaseRepository } from './lease.repository';
import { ProgressCountsService } from './progress-counts.service';
import { QueueController } from './queue.controller';
import { QueueRepository } from './queue.repository';
import { QueueService } from './queue.service';

/** The leased labelling queue: next item, skip, and the progress counts every answer carries. */
@Module({
  controllers: [QueueController],
  providers: [QueueService, QueueRepository, LeaseRepository, ProgressCountsService],
  exports: [QueueService, QueueRepository, LeaseRepository, ProgressCountsService],
})
export class QueueModule {}

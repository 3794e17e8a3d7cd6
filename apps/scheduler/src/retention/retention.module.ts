import { Module } from '@nestjs/common';
import { EventRetentionRepository } from './event-retention.repository';

@Module({
  providers: [EventRetentionRepository],
  exports: [EventRetentionRepository],
})
export class RetentionModule {}

import { Module } from '@nestjs/common';
import { CorrelationContextMiddleware } from './correlation-context.middleware';
import { OutboxRelay } from './outbox.relay';
import { OutboxRepository } from './outbox.repository';

/** The transactional outbox: features write events with their changes; OutboxRelay sends them to RabbitMQ. */
@Module({
  providers: [OutboxRepository, OutboxRelay, CorrelationContextMiddleware],
  exports: [OutboxRepository, OutboxRelay, CorrelationContextMiddleware],
})
export class OutboxModule {}

import type * as amqp from 'amqplib';
import { CORRELATION_ID_HEADER, EVENTS_EXCHANGE, parseEvent, type DomainEvent } from '@foreman/contracts';
import type { RabbitMqConnection } from './rabbitmq-connection';

/** Where services send events. The API never calls this directly: it writes to its outbox. */
export interface EventPublisher {
  /** Resolves once the broker (or the in-process bus) has taken the event. */
  publish(event: DomainEvent): Promise<void>;
}

export const EVENT_PUBLISHER = Symbol('EVENT_PUBLISHER');

/** Persistent messages on a confirm channel: `publish` resolves only when RabbitMQ has the event. */
export class RabbitMqEventPublisher implements EventPublisher {
  private channel: Promise<amqp.ConfirmChannel> | null = null;

  constructor(private readonly connection: RabbitMqConnection) {
    connection.on('disconnected', () => (this.channel = null));
  }

  async publish(event: DomainEvent): Promise<void> {
    const valid = parseEvent(event);
    const channel = await this.confirmChannel();
    const body = Buffer.from(JSON.stringify(valid));
    await new Promise<void>((resolve, reject) => {
      channel.publish(
        EVENTS_EXCHANGE,
        valid.type,
        body,
        {
          persistent: true,
          contentType: 'application/json',
          messageId: valid.id,
          type: valid.type,
          timestamp: Date.parse(valid.occurredAt),
          headers: valid.correlationId ? { [CORRELATION_ID_HEADER]: valid.correlationId } : {},
        },
        (error) => (error ? reject(error) : resolve()),
      );
    });
  }

  private confirmChannel(): Promise<amqp.ConfirmChannel> {
    if (!this.channel) {
      const opening = this.connection.createConfirmChannel().then((channel) => {
        channel.on('error', () => undefined);
        channel.on('close', () => {
          if (this.channel === opening) this.channel = null;
        });
        return channel;
      });
      opening.catch(() => (this.channel = null));
      this.channel = opening;
    }
    return this.channel;
  }
}

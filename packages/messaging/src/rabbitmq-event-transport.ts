import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import type * as amqp from 'amqplib';
import {
  CONSUMER_QUEUES,
  DEAD_LETTER_EXCHANGE,
  DEAD_LETTER_REASON_HEADER,
  DELIVERY_ATTEMPTS_HEADER,
  type ConsumerName,
} from '@foreman/contracts';
import { DEFAULT_RETRY_POLICY, dispatchEvent, type RetryPolicy } from './event-dispatcher';
import type { RabbitMqConnection } from './rabbitmq-connection';

export interface RabbitMqEventTransportOptions {
  connection: RabbitMqConnection;
  consumer: ConsumerName;
  /** Unacknowledged messages in flight at once (default 16). */
  prefetch?: number;
  retry?: RetryPolicy;
}

/**
 * NestJS transport for `@EventPattern(EVENT_TYPES.x)` handlers, reading the consumer's durable queue.
 * A message is acked only after its handler resolved (so after its transaction committed); a failure is
 * re-queued with an attempt count after a back-off, and dead-lettered with the reason once attempts run out.
 */
export class RabbitMqEventTransport extends Server implements CustomTransportStrategy {
  private channel: amqp.ConfirmChannel | null = null;
  private readonly queue;
  private readonly retry: RetryPolicy;

  constructor(private readonly options: RabbitMqEventTransportOptions) {
    super();
    this.queue = CONSUMER_QUEUES[options.consumer];
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
  }

  listen(callback: (...optionalParams: unknown[]) => void): void {
    this.options.connection.on('connected', () => void this.subscribe());
    this.options.connection.on('disconnected', () => (this.channel = null));
    if (this.options.connection.isConnected) void this.subscribe();
    callback();
  }

  async close(): Promise<void> {
    await this.channel?.close().catch(() => undefined);
    this.channel = null;
  }

  on(): void {
    // Connection events are handled by RabbitMqConnection.
  }

  unwrap<T>(): T {
    return this.channel as T;
  }

  private async subscribe(): Promise<void> {
    try {
      const channel = await this.options.connection.createConfirmChannel();
      channel.on('error', () => undefined);
      await channel.prefetch(this.options.prefetch ?? 16);
      await channel.consume(this.queue.name, (message) => message && void this.handle(channel, message), {
        noAck: false,
      });
      this.channel = channel;
      this.logger.log(`consuming ${this.queue.name}`);
    } catch (error) {
      this.logger.error(`could not consume ${this.queue.name}: ${(error as Error).message}`);
    }
  }

  private async handle(channel: amqp.ConfirmChannel, message: amqp.ConsumeMessage): Promise<void> {
    const attempt = Number(message.properties.headers?.[DELIVERY_ATTEMPTS_HEADER] ?? 1);
    const outcome = await dispatchEvent(
      message.content,
      { attempt, consumer: this.queue.name },
      this.retry,
      (type) => this.getHandlerByPattern(type),
      (value) => this.transformToObservable(value),
    );
    try {
      if (outcome.kind === 'retry') {
        this.logger.warn(outcome.reason);
        await sleep(this.retry.delayMs(attempt));
        await this.republish(channel, '', this.queue.name, message, {
          [DELIVERY_ATTEMPTS_HEADER]: attempt + 1,
        });
      } else if (outcome.kind === 'dead-letter') {
        this.logger.error(`dead-lettering message: ${outcome.reason}`);
        await this.republish(channel, DEAD_LETTER_EXCHANGE, this.queue.deadLetterQueue, message, {
          [DEAD_LETTER_REASON_HEADER]: outcome.reason.slice(0, 2000),
          [DELIVERY_ATTEMPTS_HEADER]: attempt,
        });
      }
      channel.ack(message);
    } catch (error) {
      // The channel died before we could settle: the broker redelivers the message to the next consumer.
      this.logger.warn(`could not settle message: ${(error as Error).message}`);
    }
  }

  private republish(
    channel: amqp.ConfirmChannel,
    exchange: string,
    routingKey: string,
    message: amqp.ConsumeMessage,
    headers: Record<string, unknown>,
  ): Promise<void> {
    return new Promise((resolve, reject) =>
      channel.publish(
        exchange,
        routingKey,
        message.content,
        { ...message.properties, persistent: true, headers: { ...message.properties.headers, ...headers } },
        (error) => (error ? reject(error) : resolve()),
      ),
    );
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

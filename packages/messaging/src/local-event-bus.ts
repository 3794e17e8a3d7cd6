import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { CONSUMER_QUEUES, parseEvent, type ConsumerName, type DomainEvent } from '@foreman/contracts';
import { DEFAULT_RETRY_POLICY, dispatchEvent, type RetryPolicy } from './event-dispatcher';
import type { EventPublisher } from './event-publisher';

/**
 * Events between services of one process without a broker (the one-command local start): each service
 * runs in a worker thread and talks to the hub in the main thread through its port. Same envelopes, same
 * schemas and the same @EventPattern handlers as with RabbitMQ; only the transport differs.
 */
export type LocalEventMessage =
  { kind: 'publish'; event: DomainEvent } | { kind: 'deliver'; consumer: ConsumerName; event: DomainEvent };

/** worker_threads' parentPort and MessagePort both fit. */
export interface LocalEventPort {
  postMessage(message: LocalEventMessage): void;
  on(event: 'message', listener: (message: LocalEventMessage) => void): unknown;
}

/** Main-thread router: delivers each published event to every consumer bound to its type, like the topic exchange. */
export class LocalEventHub {
  private readonly consumers = new Map<ConsumerName, LocalEventPort>();

  /** Connects a service's port; `consumer` names the queue whose events it handles, if any. */
  attach(port: LocalEventPort, consumer?: ConsumerName): void {
    if (consumer) this.consumers.set(consumer, port);
    port.on('message', (message) => {
      if (message.kind === 'publish') this.route(message.event);
    });
  }

  route(event: DomainEvent): void {
    for (const [consumer, port] of this.consumers) {
      if ((CONSUMER_QUEUES[consumer].bindings as readonly string[]).includes(event.type)) {
        port.postMessage({ kind: 'deliver', consumer, event });
      }
    }
  }
}

export class LocalEventPublisher implements EventPublisher {
  constructor(private readonly port: LocalEventPort) {}

  async publish(event: DomainEvent): Promise<void> {
    this.port.postMessage({ kind: 'publish', event: parseEvent(event) });
  }
}

/** NestJS transport that runs `@EventPattern` handlers for events the hub delivers to this consumer. */
export class LocalEventConsumer extends Server implements CustomTransportStrategy {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly port: LocalEventPort,
    private readonly consumer: ConsumerName,
    private readonly retry: RetryPolicy = DEFAULT_RETRY_POLICY,
  ) {
    super();
  }

  listen(callback: () => void): void {
    this.port.on('message', (message) => {
      if (message.kind !== 'deliver' || message.consumer !== this.consumer) return;
      // One at a time, in arrival order, as with a prefetch of 1.
      this.queue = this.queue.then(() => this.handle(message.event));
    });
    callback();
  }

  close(): void {}

  on(): void {}

  unwrap<T>(): T {
    return this.port as T;
  }

  private async handle(event: DomainEvent, attempt = 1): Promise<void> {
    const outcome = await dispatchEvent(
      JSON.stringify(event),
      { attempt, consumer: this.consumer },
      this.retry,
      (type) => this.getHandlerByPattern(type),
      (value) => this.transformToObservable(value),
    );
    if (outcome.kind === 'retry') {
      this.logger.warn(outcome.reason);
      await new Promise((resolve) => setTimeout(resolve, this.retry.delayMs(attempt)));
      await this.handle(event, attempt + 1);
    } else if (outcome.kind === 'dead-letter') {
      // No broker to keep it: the log is the dead-letter queue in local mode.
      this.logger.error(`dropped event after ${attempt} attempt(s): ${outcome.reason}`);
    }
  }
}

import {
  Global,
  Inject,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { CustomTransportStrategy } from '@nestjs/microservices';
import type { ConsumerName } from '@foreman/contracts';
import { EVENT_PUBLISHER, RabbitMqEventPublisher, type EventPublisher } from './event-publisher';
import { LocalEventConsumer, LocalEventPublisher, type LocalEventPort } from './local-event-bus';
import { RabbitMqConnection } from './rabbitmq-connection';
import { RabbitMqEventTransport } from './rabbitmq-event-transport';

export type MessagingOptions =
  /** Production: RabbitMQ. `connectionName` shows in the management UI, e.g. `foreman-trainer`. */
  | { kind: 'rabbitmq'; url: string; connectionName: string }
  /** One-command local start: a worker thread's port to the in-process hub. */
  | { kind: 'local'; port: LocalEventPort };

/** What a service needs from the event transport, whichever it is. */
export class EventBus {
  private readonly logger = new Logger('Messaging');
  readonly connection: RabbitMqConnection | null;
  readonly publisher: EventPublisher;

  constructor(private readonly options: MessagingOptions) {
    if (options.kind === 'rabbitmq') {
      this.connection = new RabbitMqConnection({
        url: options.url,
        connectionName: options.connectionName,
        log: (message, detail) => this.logger.log(detail ? `${message} ${JSON.stringify(detail)}` : message),
      });
      this.publisher = new RabbitMqEventPublisher(this.connection);
    } else {
      this.connection = null;
      this.publisher = new LocalEventPublisher(options.port);
    }
  }

  /** The NestJS transport strategy that feeds this consumer's `@EventPattern` handlers. */
  consumer(consumer: ConsumerName): CustomTransportStrategy {
    return this.connection
      ? new RabbitMqEventTransport({ connection: this.connection, consumer })
      : new LocalEventConsumer((this.options as { port: LocalEventPort }).port, consumer);
  }

  /** For `HealthModule.forChecks`: the broker connection is open (always up in local mode). */
  healthCheck() {
    return {
      name: this.connection ? 'rabbitmq' : 'events',
      check: async () => {
        if (this.connection && !this.connection.isConnected) throw new Error('not connected');
      },
    };
  }

  async start(): Promise<void> {
    await this.connection?.start();
  }

  async close(): Promise<void> {
    await this.connection?.close();
  }
}

/**
 * The service's event bus and publisher (EVENT_PUBLISHER). RabbitMQ is connected in the background, so a
 * service starts (and labelling goes on) while the broker is away; publishing fails until it is back.
 */
@Global()
@Module({})
export class MessagingModule implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(EventBus) private readonly bus: EventBus) {}

  static forRoot(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      providers: [
        { provide: EventBus, useFactory: () => new EventBus(options) },
        { provide: EVENT_PUBLISHER, inject: [EventBus], useFactory: (bus: EventBus) => bus.publisher },
      ],
      exports: [EventBus, EVENT_PUBLISHER],
    };
  }

  async onModuleInit(): Promise<void> {
    await this.bus.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
  }
}

/** Messaging options from a service's validated settings; local mode talks to the launcher's hub. */
export function messagingOptions(
  config: { EVENT_TRANSPORT: 'rabbitmq' | 'local'; AMQP_URL?: string },
  connectionName: string,
): MessagingOptions {
  if (config.EVENT_TRANSPORT === 'rabbitmq') return { kind: 'rabbitmq', url: config.AMQP_URL!, connectionName };
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- only local mode runs in a worker thread
  const { parentPort } = require('node:worker_threads') as typeof import('node:worker_threads');
  if (!parentPort) throw new Error('EVENT_TRANSPORT=local works only under the launcher (pnpm start)');
  return { kind: 'local', port: parentPort as unknown as LocalEventPort };
}

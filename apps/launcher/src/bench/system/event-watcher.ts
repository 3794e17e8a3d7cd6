/**
 * An observer on the events exchange (its own exclusive queue, as dashboards would bind one): records
 * when each event of interest reached it, on this process's clock, so a bench can tell the label that
 * triggered a retrain from model.trained, the first and last ranking chunk and queue.updated.
 */
import { EVENTS_EXCHANGE, EVENT_TYPES } from '@foreman/contracts';
import { RabbitMqConnection } from '@foreman/messaging';

export interface ObservedEvent {
  type: string;
  projectId: string;
  /** Date.now() when the message reached this observer. */
  observedAt: number;
  /** The payload, without a ranking's items (only their number is kept). */
  payload: Record<string, unknown>;
}

const WATCHED = [
  EVENT_TYPES.labelSubmitted,
  EVENT_TYPES.modelTrained,
  EVENT_TYPES.rankingComputed,
  EVENT_TYPES.queueUpdated,
];

export class EventWatcher {
  readonly events: ObservedEvent[] = [];
  private waiters: { test: (event: ObservedEvent) => boolean; resolve: (event: ObservedEvent) => void }[] = [];

  private constructor(private readonly connection: RabbitMqConnection) {}

  static async start(amqpUrl: string): Promise<EventWatcher> {
    const connection = new RabbitMqConnection({ url: amqpUrl, connectionName: 'bench event watcher' });
    await connection.start();
    await connection.waitUntilConnected();
    const watcher = new EventWatcher(connection);
    const channel = await connection.createChannel();
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    for (const type of WATCHED) await channel.bindQueue(queue, EVENTS_EXCHANGE, type);
    await channel.consume(
      queue,
      (message) => {
        if (!message) return;
        const observedAt = Date.now();
        const envelope = JSON.parse(message.content.toString('utf8')) as {
          type: string;
          projectId: string;
          payload: Record<string, unknown> & { items?: unknown[] };
        };
        const { items, ...payload } = envelope.payload;
        watcher.record({
          type: envelope.type,
          projectId: envelope.projectId,
          observedAt,
          payload: items ? { ...payload, itemCount: items.length } : payload,
        });
      },
      { noAck: true },
    );
    return watcher;
  }

  /** The first event (already seen or still to come) that passes `test`. */
  waitFor(what: string, test: (event: ObservedEvent) => boolean, timeoutMs: number): Promise<ObservedEvent> {
    const seen = this.events.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter.resolve !== done);
        reject(new Error(`${what} was not observed within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      const done = (event: ObservedEvent) => {
        clearTimeout(timer);
        resolve(event);
      };
      this.waiters.push({ test, resolve: done });
    });
  }

  close(): Promise<void> {
    return this.connection.close();
  }

  private record(event: ObservedEvent): void {
    this.events.push(event);
    const matched = this.waiters.filter((waiter) => waiter.test(event));
    this.waiters = this.waiters.filter((waiter) => !matched.includes(waiter));
    for (const waiter of matched) waiter.resolve(event);
  }
}

import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { EVENT_PUBLISHER, EventBus, type EventPublisher } from '@foreman/messaging';
import { OutboxRepository, type PendingOutboxEvent, type PublishOutcome } from './outbox.repository';

/** Between passes when nothing wakes the relay (another API instance may have written rows). */
const POLL_INTERVAL_MS = 1_000;
const BATCH_SIZE = 200;
/**
 * A wake waits this long before its pass, so that the labels committed meanwhile go out in one pass (one
 * transaction of four statements, one batch of publishes) instead of a pass each, which made the relay a
 * third of the database statements per label. Events leave at most this much later; a retraining is
 * seconds away anyway.
 */
const WAKE_DELAY_MS = 100;
/** A publish the broker neither confirms nor refuses within this time counts as failed. */
const PUBLISH_TIMEOUT_MS = 10_000;

/**
 * Publishes outbox rows to the event exchange with publisher confirms and marks them published. Runs right
 * after a commit that wrote events (wake) and on a short poll; failures are retried with back-off. While
 * the broker is away the rows simply wait: labelling goes on, and they are sent once it is back.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private wakeRequested = false;
  /** When the scheduled pass runs (Date.now() time). */
  private dueAt = 0;
  private stopped = true;
  private readonly onConnected = () => {
    void this.outbox
      .retryAllNow()
      .then(() => this.wake())
      .catch((error: unknown) => this.logger.warn(`outbox retry reset failed: ${(error as Error).message}`));
  };

  constructor(
    private readonly outbox: OutboxRepository,
    @Inject(EVENT_PUBLISHER) private readonly publisher: EventPublisher,
    private readonly bus: EventBus,
  ) {}

  onApplicationBootstrap(): void {
    this.stopped = false;
    this.bus.connection?.on('connected', this.onConnected);
    this.schedule(0);
  }

  /** Stops polling and waits for the pass in flight, before the database and broker connections close. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.bus.connection?.off('connected', this.onConnected);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Run a pass now (called after a commit that wrote outbox rows). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) this.wakeRequested = true;
    else if (!this.timer || this.dueAt > Date.now() + WAKE_DELAY_MS) this.schedule(WAKE_DELAY_MS);
  }

  /** One pass: relays due rows in batches until none are left. */
  private async relayPending(): Promise<void> {
    while (!this.stopped) {
      if (this.bus.connection && !this.bus.connection.isConnected) return; // 'connected' wakes us
      const taken = await this.outbox.relayBatch(BATCH_SIZE, (events) => this.publishAll(events));
      if (taken < BATCH_SIZE) return;
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.dueAt = Date.now() + delayMs;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.relayPending()
        .catch((error: unknown) => this.logger.warn(`outbox relay pass failed: ${(error as Error).message}`))
        .finally(() => {
          this.running = null;
          const again = this.wakeRequested;
          this.wakeRequested = false;
          this.schedule(again ? WAKE_DELAY_MS : POLL_INTERVAL_MS);
        });
    }, delayMs);
    this.timer.unref();
  }

  /** Publishes in order on one confirm channel and waits for every confirm. */
  private async publishAll(events: PendingOutboxEvent[]): Promise<PublishOutcome[]> {
    const results = await Promise.allSettled(
      events.map((event) => withTimeout(this.publisher.publish(event.envelope), PUBLISH_TIMEOUT_MS)),
    );
    const outcomes = results.map((result, index) => ({
      id: events[index]!.id,
      ...(result.status === 'rejected' ? { error: errorMessage(result.reason) } : {}),
    }));
    const failures = outcomes.filter((outcome) => outcome.error !== undefined);
    if (failures.length > 0) {
      this.logger.warn(`${failures.length} event(s) not published, will retry: ${failures[0]!.error}`);
    }
    return outcomes;
  }
}

function errorMessage(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no publisher confirm within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

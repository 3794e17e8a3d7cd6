import { EventEmitter } from 'node:events';
import * as amqp from 'amqplib';
import {
  CONSUMER_QUEUES,
  DEAD_LETTER_EXCHANGE,
  EVENTS_EXCHANGE,
  consumerQueueArguments,
} from '@foreman/contracts';

export interface RabbitMqConnectionOptions {
  url: string;
  /** Name shown in the management UI's connection list. */
  connectionName: string;
  /** Longest wait between reconnection attempts (default 10 s). */
  maxReconnectDelayMs?: number;
  log?: (message: string, detail?: Record<string, unknown>) => void;
}

/** Declares the whole topology; idempotent, and identical to infra/rabbitmq/definitions.json. */
export async function assertTopology(channel: amqp.Channel): Promise<void> {
  await channel.assertExchange(EVENTS_EXCHANGE, 'topic', { durable: true });
  await channel.assertExchange(DEAD_LETTER_EXCHANGE, 'direct', { durable: true });
  for (const queue of Object.values(CONSUMER_QUEUES)) {
    await channel.assertQueue(queue.deadLetterQueue, {
      durable: true,
      arguments: { 'x-queue-type': 'classic' },
    });
    await channel.bindQueue(queue.deadLetterQueue, DEAD_LETTER_EXCHANGE, queue.deadLetterQueue);
    await channel.assertQueue(queue.name, { durable: true, arguments: consumerQueueArguments(queue) });
    for (const routingKey of queue.bindings) await channel.bindQueue(queue.name, EVENTS_EXCHANGE, routingKey);
  }
}

/**
 * One AMQP connection that comes back by itself: after a broker restart it reconnects with back-off,
 * re-declares the topology and emits `connected` again so consumers can resubscribe.
 */
export class RabbitMqConnection extends EventEmitter {
  private connection: amqp.ChannelModel | null = null;
  private closing = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private attempt = 0;
  private starting: Promise<void> | null = null;

  constructor(private readonly options: RabbitMqConnectionOptions) {
    super();
  }

  get isConnected(): boolean {
    return this.connection !== null;
  }

  /**
   * Connects, retrying in the background when the broker is not there yet. Resolves after the first try.
   * Idempotent: a hybrid Nest app runs module init hooks again when its microservice starts, and a second
   * connection would leak (and consume twice).
   */
  start(): Promise<void> {
    if (!this.starting) {
      this.closing = false;
      this.starting = this.connect();
    }
    return this.starting;
  }

  /** Resolves once connected (or rejects after `timeoutMs`). */
  waitUntilConnected(timeoutMs = 30_000): Promise<void> {
    if (this.connection) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('connected', onConnected);
        reject(new Error(`RabbitMQ not reachable within ${timeoutMs} ms`));
      }, timeoutMs);
      const onConnected = () => {
        clearTimeout(timer);
        resolve();
      };
      this.once('connected', onConnected);
    });
  }

  async createChannel(): Promise<amqp.Channel> {
    if (!this.connection) throw new Error('RabbitMQ is not connected');
    return this.connection.createChannel();
  }

  async createConfirmChannel(): Promise<amqp.ConfirmChannel> {
    if (!this.connection) throw new Error('RabbitMQ is not connected');
    return this.connection.createConfirmChannel();
  }

  async close(): Promise<void> {
    this.closing = true;
    this.starting = null;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const connection = this.connection;
    this.connection = null;
    await connection?.close().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    try {
      const connection = await amqp.connect(this.options.url, {
        clientProperties: { connection_name: this.options.connectionName },
      });
      connection.on('error', () => undefined); // 'close' follows and handles it
      connection.on('close', () => this.onClosed());
      const channel = await connection.createChannel();
      await assertTopology(channel);
      await channel.close();
      this.connection = connection;
      this.attempt = 0;
      this.options.log?.('connected to RabbitMQ');
      this.emit('connected');
    } catch (error) {
      this.options.log?.('RabbitMQ connection failed; retrying', { error: (error as Error).message });
      this.scheduleReconnect();
    }
  }

  private onClosed(): void {
    if (!this.connection) return;
    this.connection = null;
    this.emit('disconnected');
    if (!this.closing) {
      this.options.log?.('RabbitMQ connection lost; reconnecting');
      this.scheduleReconnect();
    }
  }

  private scheduleReconnect(): void {
    if (this.closing || this.reconnectTimer) return;
    const delay = Math.min(250 * 2 ** this.attempt++, this.options.maxReconnectDelayMs ?? 10_000);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect();
    }, delay);
  }
}

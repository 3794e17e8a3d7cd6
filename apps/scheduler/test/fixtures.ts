import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import * as amqp from 'amqplib';
import { Client } from 'pg';
import {
  EVENTS_EXCHANGE,
  EVENT_TYPES,
  type AcquisitionStrategy,
  type QueueUpdatedEvent,
  type RankedItem,
} from '@foreman/contracts';
import { createTestDatabase, type TestDatabase } from '@foreman/database/testing';
import { EventBus } from '@foreman/messaging';
import { createTestVhost, type TestVhost } from '@foreman/messaging/testing';
import { createSchedulerApp } from '../src/bootstrap';
import { loadSchedulerConfig } from '../src/config/env';

export interface TestScheduler {
  app: INestApplication;
  db: TestDatabase;
  vhost: TestVhost;
  /** A plain SQL connection to the test database, for setting up and checking the queue. */
  sql: Client;
  /** A channel on the test vhost, for publishing events and reading dead letters. */
  channel: amqp.ConfirmChannel;
  /** queue.updated events the scheduler has emitted so far. */
  queueUpdates: QueueUpdatedEvent[];
  close(): Promise<void>;
}

/** The real scheduler on its own database and RabbitMQ vhost, with a watcher on queue.updated. */
export async function startTestScheduler(overrides: Record<string, string> = {}): Promise<TestScheduler> {
  const [db, vhost] = await Promise.all([createTestDatabase(), createTestVhost()]);
  const app = await createSchedulerApp(
    loadSchedulerConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: db.url,
      AMQP_URL: vhost.url,
      ...overrides,
    }),
  );
  await app.startAllMicroservices();
  await app.init();
  // The topology (exchange, queues, bindings) exists once the app is connected.
  await app.get(EventBus).connection?.waitUntilConnected();

  const sql = new Client({ connectionString: db.url });
  await sql.connect();
  const connection = await amqp.connect(vhost.url);
  const channel = await connection.createConfirmChannel();
  const queueUpdates: QueueUpdatedEvent[] = [];
  const watcher = await channel.assertQueue('', { exclusive: true });
  await channel.bindQueue(watcher.queue, EVENTS_EXCHANGE, EVENT_TYPES.queueUpdated);
  await channel.consume(
    watcher.queue,
    (message) => {
      if (message) queueUpdates.push(JSON.parse(message.content.toString()) as QueueUpdatedEvent);
    },
    { noAck: true },
  );

  return {
    app,
    db,
    vhost,
    sql,
    channel,
    queueUpdates,
    close: async () => {
      await connection.close().catch(() => undefined);
      await sql.end().catch(() => undefined);
      await app.close();
      await Promise.all([db.drop(), vhost.drop()]);
    },
  };
}

/** Publishes a message to foreman.events as the trainer would, body as given (valid or not). */
export async function publishRaw(
  channel: amqp.ConfirmChannel,
  routingKey: string,
  body: unknown,
): Promise<void> {
  channel.publish(EVENTS_EXCHANGE, routingKey, Buffer.from(JSON.stringify(body)), {
    persistent: true,
    contentType: 'application/json',
  });
  await channel.waitForConfirms();
}

/** A ranking.computed.v1 envelope; the caller chooses the chunking. */
export function rankingEvent(
  projectId: string,
  payload: {
    modelVersion: number;
    chunkIndex?: number;
    chunkCount?: number;
    strategy?: AcquisitionStrategy;
    items: RankedItem[];
  },
) {
  return {
    id: randomUUID(),
    type: EVENT_TYPES.rankingComputed,
    schemaVersion: 1,
    occurredAt: new Date().toISOString(),
    projectId,
    payload: { chunkIndex: 0, chunkCount: 1, strategy: 'entropy', ...payload },
  };
}

/** Ranked items from scores as the trainer ranks them: the highest score gets rank 0. */
export function rankByScore(scores: Map<number, number>): RankedItem[] {
  return [...scores.entries()]
    .sort(([idA, a], [idB, b]) => b - a || idA - idB)
    .map(([itemId, score], rank) => ({ itemId, score, rank }));
}

export async function createUser(sql: Client): Promise<string> {
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO users (email, display_name, role, password_hash)
     VALUES ($1, 'Labeller', 'labeller', 'x') RETURNING id`,
    [`${randomUUID()}@example.test`],
  );
  return rows[0]!.id;
}

/** A project with `items` unlabelled items, as an import leaves them; returns the item ids in import order. */
export async function createProject(
  sql: Client,
  { items, labelsPerItem = 1 }: { items: number; labelsPerItem?: number },
): Promise<{ projectId: string; itemIds: number[] }> {
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO projects (name, classes, input_kind, labels_per_item)
     VALUES ($1, '{a,b}', 'vector', $2) RETURNING id`,
    [`project ${randomUUID()}`, labelsPerItem],
  );
  const projectId = rows[0]!.id;
  const inserted = await sql.query<{ id: number }>(
    `INSERT INTO items (project_id, external_id, payload, remaining_labels)
     SELECT $1, 'item-' || n, '{"vector": [0, 1]}', $3 FROM generate_series(1, $2) AS n
     ORDER BY n RETURNING id`,
    [projectId, items, labelsPerItem],
  );
  return { projectId, itemIds: inserted.rows.map((row) => row.id).sort((a, b) => a - b) };
}

/**
 * The order the API's claim serves the items that still need labels: the applied ranking by rank, then
 * the open items it does not cover, in import order.
 */
export async function servingOrder(sql: Client, projectId: string): Promise<number[]> {
  const { rows } = await sql.query<{ id: number }>(
    `SELECT i.id FROM items i
       LEFT JOIN project_queue_state s ON s.project_id = i.project_id
       LEFT JOIN queue_ranks r ON r.ranking_id = s.applied_ranking_id AND r.item_id = i.id
      WHERE i.project_id = $1 AND i.remaining_labels > 0
      ORDER BY r.rank IS NULL, r.rank, i.id`,
    [projectId],
  );
  return rows.map((row) => row.id);
}

export async function isProcessed(sql: Client, eventId: string): Promise<boolean> {
  const { rowCount } = await sql.query(
    `SELECT 1 FROM processed_events WHERE consumer = 'scheduler' AND event_id = $1`,
    [eventId],
  );
  return rowCount === 1;
}

/** Polls until `check` returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import * as amqp from 'amqplib';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CORRELATION_ID_HEADER, EVENTS_EXCHANGE, EVENT_TYPES } from '@foreman/contracts';
import { EventBus } from '@foreman/messaging';
import { createTestVhost, type TestVhost } from '@foreman/messaging/testing';
import { createProjectWithItems, createUserWithSession, type TestUser } from './fixtures';
import { startTestApi, type TestApi } from './test-app';

/** A TCP relay between the API and RabbitMQ that the test can cut, as if the broker went away, and restore. */
class BrokerLink {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly upstream: { host: string; port: number }) {}

  async open(): Promise<void> {
    this.server = createServer((client) => {
      const broker = connect(this.upstream.port, this.upstream.host);
      for (const socket of [client, broker]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.on('close', () => broker.destroy());
      broker.on('close', () => client.destroy());
      client.pipe(broker).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Drops every connection and refuses new ones until `open()`. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}

async function eventually(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('outbox relay', () => {
  let vhost: TestVhost;
  let link: BrokerLink;
  let api: TestApi;
  let db: DataSource;
  let consumer: amqp.ChannelModel;
  /** Distinct label.submitted events the test queue received, by event id, with their correlation header. */
  const received = new Map<string, unknown>();

  beforeAll(async () => {
    vhost = await createTestVhost();
    const broker = new URL(vhost.url);
    link = new BrokerLink({ host: broker.hostname, port: Number(broker.port || 5672) });
    await link.open();
    const viaLink = new URL(vhost.url);
    viaLink.hostname = '127.0.0.1';
    viaLink.port = String(link.port);
    api = await startTestApi({ AMQP_URL: viaLink.toString() });
    db = api.app.get(DataSource);
    await api.app.get(EventBus).connection!.waitUntilConnected(10_000);

    // An observer queue on the API's exchange, reached directly (not through the link).
    consumer = await amqp.connect(vhost.url);
    const channel = await consumer.createChannel();
    await channel.assertExchange(EVENTS_EXCHANGE, 'topic', { durable: true });
    const { queue } = await channel.assertQueue('', { exclusive: true });
    await channel.bindQueue(queue, EVENTS_EXCHANGE, EVENT_TYPES.labelSubmitted);
    await channel.consume(queue, (message) => {
      if (!message) return;
      const event = JSON.parse(message.content.toString()) as { id: string };
      received.set(event.id, message.properties.headers?.[CORRELATION_ID_HEADER]);
      channel.ack(message);
    });
  });

  afterAll(async () => {
    await consumer?.close().catch(() => undefined);
    await api?.close();
    await link?.cut();
    await vhost?.drop();
  });

  const http = () => request(api.app.getHttpServer());

  async function labelNext(user: TestUser, projectId: string, clientRequestId: string, correlationId?: string) {
    const next = await http().post(`/projects/${projectId}/next`).set('Cookie', user.cookie).expect(200);
    const submit = http()
      .post(`/items/${next.body.item.id}/labels`)
      .set('Cookie', user.cookie)
      .send({ value: 'cat', clientRequestId });
    if (correlationId) submit.set('x-correlation-id', correlationId);
    return (await submit.expect(201)).body as { label: { id: number } };
  }

  it('publishes a submitted label right after the commit, with the request’s correlation id', async () => {
    const project = await createProjectWithItems(api, { items: 1 });
    const user = await createUserWithSession(api, { projectIds: [project.id] });
    await labelNext(user, project.id, 'first', 'trace-outbox-1');
    const [{ eventId }] = await db.query(`SELECT event_id AS "eventId" FROM outbox`);
    await eventually(() => received.has(eventId), 5_000, 'the event');
    expect(received.get(eventId)).toBe('trace-outbox-1');
    // (the broker may deliver the event before the relay's transaction that marks it published commits)
    const outboxRow = async () => {
      const [row] = await db.query(`SELECT published_at, attempts, last_error FROM outbox`);
      return row as { published_at: Date | null; attempts: number; last_error: string | null };
    };
    let row = await outboxRow();
    await eventually(async () => (row = await outboxRow()).published_at !== null, 5_000, 'the row marked published');
    expect(row).toMatchObject({ attempts: 1, last_error: null });
    expect(row.published_at).not.toBeNull();
  });

  it('keeps labelling while RabbitMQ is unreachable and delivers every event once it is back', async () => {
    const project = await createProjectWithItems(api, { items: 100 });
    const labellers = await Promise.all(
      [1, 2, 3, 4].map(() => createUserWithSession(api, { projectIds: [project.id] })),
    );
    const connection = api.app.get(EventBus).connection!;
    await link.cut();
    await eventually(() => !connection.isConnected, 5_000, 'the API to notice the broker is gone');

    await Promise.all(
      labellers.map(async (labeller, index) => {
        for (let i = 0; i < 25; i++) await labelNext(labeller, project.id, `down-${index}-${i}`);
      }),
    );
    const [pending] = await db.query(
      `SELECT count(*) FILTER (WHERE published_at IS NULL)::int AS unpublished, count(*)::int AS total FROM outbox`,
    );
    expect(pending).toEqual({ unpublished: 100, total: 101 });
    const health = await http().get('/health');
    expect(health.body.checks.rabbitmq.status).toBe('down');

    await link.open();
    await eventually(() => received.size === 101, 45_000, 'all 100 events after the broker came back');
    // Marked published once the broker confirmed (which may be just after the consumer saw them).
    await eventually(
      async () => (await db.query(`SELECT 1 FROM outbox WHERE published_at IS NULL`)).length === 0,
      5_000,
      'the outbox rows to be marked published',
    );
  }, 90_000);

  it('records a failed publish and retries it later with back-off', async () => {
    await db.query(
      `INSERT INTO outbox (event_id, event_type, envelope)
       VALUES (gen_random_uuid(), 'label.submitted.v1', '{"type": "label.submitted.v1"}')`,
    );
    // Read without racing the relay: whichever attempt is seen, the next one is due its back-off later.
    const failedRow = async () => {
      const [row] = await db.query(
        `SELECT attempts, last_error AS "lastError", next_attempt_at AS "nextAttemptAt",
                extract(epoch FROM next_attempt_at - created_at) AS "dueAfterCreated"
           FROM outbox WHERE published_at IS NULL`,
      );
      return row as { attempts: number; lastError: string | null; nextAttemptAt: Date; dueAfterCreated: number };
    };
    let seen = await failedRow();
    await eventually(async () => (seen = await failedRow()).attempts > 0, 5_000, 'a publish attempt');
    expect(seen.lastError).toMatch(/label\.submitted\.v1/);
    expect(Number(seen.dueAfterCreated)).toBeGreaterThanOrEqual(1);

    const before = seen;
    await eventually(async () => (seen = await failedRow()).attempts > before.attempts, 10_000, 'a retry');
    // The n-th failure waits 2^(n-1) s: the retry after `before` is due at least 2^attempts s after it was.
    const waitedMs = seen.nextAttemptAt.getTime() - before.nextAttemptAt.getTime();
    expect(waitedMs).toBeGreaterThanOrEqual(2 ** before.attempts * 1000);
  });
});

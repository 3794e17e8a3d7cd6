import 'reflect-metadata';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload, type MicroserviceOptions } from '@nestjs/microservices';
import type { INestMicroservice } from '@nestjs/common';
import * as amqp from 'amqplib';
import {
  CONSUMER_QUEUES,
  DEAD_LETTER_REASON_HEADER,
  EVENTS_EXCHANGE,
  EVENT_TYPES,
  buildEvent,
  type RankingComputedEvent,
} from '@foreman/contracts';
import {
  EventContext,
  EventErrorFilter,
  RabbitMqConnection,
  RabbitMqEventPublisher,
  RabbitMqEventTransport,
} from '../src';
import { createTestVhost, type TestVhost } from '../src/testing';

const PROJECT_ID = '6f1c1d2e-8a4b-4c3d-9e2f-1a2b3c4d5e6f';
const received: Array<{ event: RankingComputedEvent; attempt: number }> = [];
let failuresToInject = 0;

@Controller()
class RankingConsumer {
  @EventPattern(EVENT_TYPES.rankingComputed)
  async onRanking(@Payload() event: RankingComputedEvent, @Ctx() ctx: EventContext): Promise<void> {
    if (failuresToInject > 0) {
      failuresToInject -= 1;
      throw new Error('database unavailable');
    }
    received.push({ event, attempt: ctx.attempt });
  }
}

@Module({ controllers: [RankingConsumer] })
class TestModule {}

function rankingEvent(modelVersion: number) {
  return buildEvent(EVENT_TYPES.rankingComputed, PROJECT_ID, {
    modelVersion,
    strategy: 'entropy',
    chunkIndex: 0,
    chunkCount: 1,
    items: [{ itemId: 1, score: 0.9, rank: 0 }],
  });
}

async function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('RabbitMqEventTransport on the real broker', () => {
  let vhost: TestVhost;
  let connection: RabbitMqConnection;
  let publisher: RabbitMqEventPublisher;
  let app: INestMicroservice;
  let raw: amqp.ChannelModel;

  beforeAll(async () => {
    vhost = await createTestVhost();
    connection = new RabbitMqConnection({ url: vhost.url, connectionName: 'transport-test' });
    await connection.start();
    await connection.waitUntilConnected();
    publisher = new RabbitMqEventPublisher(connection);
    app = await NestFactory.createMicroservice<MicroserviceOptions>(TestModule, {
      strategy: new RabbitMqEventTransport({
        connection,
        consumer: 'scheduler',
        retry: { maxAttempts: 3, delayMs: () => 10 },
      }),
      logger: false,
    });
    app.useGlobalFilters(new EventErrorFilter());
    await app.listen();
    raw = await amqp.connect(vhost.url);
  });

  afterAll(async () => {
    await app?.close();
    await raw?.close();
    await connection?.close();
    await vhost?.drop();
  });

  beforeEach(() => {
    received.length = 0;
    failuresToInject = 0;
  });

  it('delivers a published event to its @EventPattern handler', async () => {
    const event = rankingEvent(1);
    await publisher.publish(event);
    const delivered = await waitFor(() => received.find((r) => r.event.id === event.id));
    expect(delivered.event).toEqual(event);
    expect(delivered.attempt).toBe(1);
  });

  it('retries a handler that fails, then succeeds', async () => {
    failuresToInject = 2;
    const event = rankingEvent(2);
    await publisher.publish(event);
    const delivered = await waitFor(() => received.find((r) => r.event.id === event.id));
    expect(delivered.attempt).toBe(3);
  });

  it('dead-letters a malformed event with the reason and keeps consuming', async () => {
    const channel = await raw.createChannel();
    const bad = { ...rankingEvent(3), payload: { modelVersion: 'three' } };
    channel.publish(EVENTS_EXCHANGE, EVENT_TYPES.rankingComputed, Buffer.from(JSON.stringify(bad)));
    const deadLetter = await waitFor(
      async () =>
        (await channel.get(CONSUMER_QUEUES.scheduler.deadLetterQueue, { noAck: true })) || undefined,
    );
    const reason = String(deadLetter.properties.headers?.[DEAD_LETTER_REASON_HEADER]);
    expect(reason).toContain('payload.modelVersion');
    expect(JSON.parse(deadLetter.content.toString()).id).toBe(bad.id);

    const good = rankingEvent(4);
    await publisher.publish(good);
    await waitFor(() => received.find((r) => r.event.id === good.id));
    await channel.close();
  });

  it('dead-letters an event whose handler keeps failing', async () => {
    failuresToInject = 100;
    const event = rankingEvent(5);
    await publisher.publish(event);
    const channel = await raw.createChannel();
    const deadLetter = await waitFor(
      async () =>
        (await channel.get(CONSUMER_QUEUES.scheduler.deadLetterQueue, { noAck: true })) || undefined,
    );
    expect(String(deadLetter.properties.headers?.[DEAD_LETTER_REASON_HEADER])).toContain(
      'database unavailable',
    );
    expect(received).toHaveLength(0);
    await channel.close();
  });

  it('refuses to publish an event that breaks its schema', async () => {
    const event = { ...rankingEvent(6), projectId: 'not-a-uuid' } as RankingComputedEvent;
    await expect(publisher.publish(event)).rejects.toThrow(/projectId/);
  });
});

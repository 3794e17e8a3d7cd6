import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createTestDatabase, type TestDatabase } from '@foreman/database/testing';
import { createTestVhost, type TestVhost } from '@foreman/messaging/testing';
import { createTrainerApp } from '../src/bootstrap';
import { loadTrainerConfig } from '../src/config/env';

describe('the trainer boots', () => {
  let db: TestDatabase;
  let vhost: TestVhost;
  let app: INestApplication;

  beforeAll(async () => {
    [db, vhost] = await Promise.all([createTestDatabase(), createTestVhost()]);
    app = await createTrainerApp(
      loadTrainerConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: db.url, AMQP_URL: vhost.url }),
    );
    await app.startAllMicroservices();
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all([db?.drop(), vhost?.drop()]);
  });

  it('reports PostgreSQL and RabbitMQ up on /health', async () => {
    const response = await request(app.getHttpServer()).get('/health').expect(200);
    expect(response.body).toEqual({
      status: 'ok',
      checks: { postgres: { status: 'up' }, rabbitmq: { status: 'up' } },
    });
  });

  it('serves Prometheus metrics', async () => {
    const response = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(response.text).toContain('process_cpu_user_seconds_total');
  });
});

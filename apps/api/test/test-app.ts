import type { NestExpressApplication } from '@nestjs/platform-express';
import { createTestDatabase, type TestDatabase } from '@foreman/database/testing';
import { createTestVhost, type TestVhost } from '@foreman/messaging/testing';
import { createApiApp } from '../src/bootstrap';
import { loadApiConfig, type ApiConfig } from '../src/config/env';

export interface TestApi {
  app: NestExpressApplication;
  config: ApiConfig;
  db: TestDatabase;
  vhost: TestVhost;
  close(): Promise<void>;
}

/** The real API on its own fresh database and RabbitMQ vhost. */
export async function startTestApi(overrides: Record<string, string> = {}): Promise<TestApi> {
  const [db, vhost] = await Promise.all([createTestDatabase(), createTestVhost()]);
  const config = loadApiConfig({
    NODE_ENV: 'test',
    // TEST_LOG_LEVEL=error shows what a 500 in a test was about.
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: db.url,
    AMQP_URL: vhost.url,
    RUN_MIGRATIONS: 'false',
    ...overrides,
  });
  const app = await createApiApp(config);
  await app.init();
  return {
    app,
    config,
    db,
    vhost,
    close: async () => {
      await app.close();
      await Promise.all([db.drop(), vhost.drop()]);
    },
  };
}

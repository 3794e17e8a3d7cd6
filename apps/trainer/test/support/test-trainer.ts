import type { INestApplication } from '@nestjs/common';
import { EventBus } from '@foreman/messaging';
import { createTrainerApp } from '../../src/bootstrap';
import { loadTrainerConfig } from '../../src/config/env';

/** The trainer on this database and vhost, consuming and connected; it polls for due work every 200 ms. */
export async function startTestTrainer(
  urls: { databaseUrl: string; amqpUrl: string },
  settings: Record<string, string> = {},
): Promise<INestApplication> {
  const app = await createTrainerApp(
    loadTrainerConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      DATABASE_URL: urls.databaseUrl,
      AMQP_URL: urls.amqpUrl,
      TRAINER_POLL_MS: '200',
      ...settings,
    }),
  );
  await app.startAllMicroservices();
  await app.init();
  await app.get(EventBus).connection!.waitUntilConnected();
  return app;
}

import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { EventBus, EventErrorFilter } from '@foreman/messaging';
import { useServiceLogger } from '@foreman/observability';
import { AppModule } from './app.module';
import type { TrainerConfig } from './config/env';

/**
 * A hybrid app: the event consumer for the trainer's queue, plus HTTP for /health and /metrics.
 * main.ts and the tests both start it this way.
 */
export async function createTrainerApp(config: TrainerConfig): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(config), { bufferLogs: true });
  useServiceLogger(app);
  // Deferred, so the filter is registered before the consumer starts.
  const consumer = app.connectMicroservice(
    { strategy: app.get(EventBus).consumer('trainer') },
    { deferInitialization: true },
  );
  consumer.useGlobalFilters(new EventErrorFilter());
  app.enableShutdownHooks();
  return app;
}

import type { IncomingMessage } from 'node:http';
import cookieParser from 'cookie-parser';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { useServiceLogger } from '@foreman/observability';
import { AppModule } from './app.module';
import { ApiExceptionFilter } from './common/api-exception.filter';
import { isJsonRequest, isStreamedUpload } from './modules/items/upload-body';
import type { ApiConfig } from './config/env';

/** Builds the configured HTTP app; main.ts and the tests both start it this way. */
export async function createApiApp(config: ApiConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  useServiceLogger(app);
  app.use(cookieParser());
  // Item imports stream their own (large) body; everything else is JSON up to 1 MB.
  app.useBodyParser('json', {
    limit: '1mb',
    type: (request: IncomingMessage) => isJsonRequest(request) && !isStreamedUpload(request),
  });
  app.useGlobalFilters(new ApiExceptionFilter());
  app.enableShutdownHooks();
  return app;
}

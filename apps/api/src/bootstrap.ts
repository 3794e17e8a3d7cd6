import type { IncomingMessage } from 'node:http';
import cookieParser from 'cookie-parser';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { useServiceLogger } from '@foreman/observability';
import { AppModule } from './app.module';
import { ApiExceptionFilter } from './common/api-exception.filter';
import { isJsonRequest, isStreamedUpload } from './modules/items/upload-body';
import type { ApiConfig } from './config/env';
import { SESSION_COOKIE } from './modules/auth/secret-token';

/** Builds the configured HTTP app; main.ts and the tests both start it this way. */
export async function createApiApp(config: ApiConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  useServiceLogger(app);
  // Behind a reverse proxy, the client's address (for sign-in rate limits) is in X-Forwarded-For.
  if (config.TRUST_PROXY_HOPS > 0) app.set('trust proxy', config.TRUST_PROXY_HOPS);
  app.use(cookieParser());
  // Item imports stream their own (large) body; everything else is JSON up to 1 MB.
  app.useBodyParser('json', {
    limit: '1mb',
    type: (request: IncomingMessage) => isJsonRequest(request) && !isStreamedUpload(request),
  });
  app.useGlobalFilters(new ApiExceptionFilter());
  serveApiDocs(app);
  app.enableShutdownHooks();
  return app;
}

/** OpenAPI description at /docs (UI) and /docs-json; public, like the source it is generated from. */
function serveApiDocs(app: NestExpressApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Foreman API')
      .setDescription(
        'Sign in with POST /auth/sign-in (session cookie) or send `Authorization: Bearer <API token>`. ' +
          'Every error has the shape {statusCode, error, message, details?}.',
      )
      .addCookieAuth(SESSION_COOKIE, { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE }, 'session')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'an API token' }, 'api-token')
      .addSecurityRequirements('session')
      .addSecurityRequirements('api-token')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}

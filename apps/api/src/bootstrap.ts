import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import cookieParser from 'cookie-parser';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { useServiceLogger } from '@foreman/observability';
import { AppModule } from './app.module';
import { ApiExceptionFilter } from './common/api-exception.filter';
import { closeConnectionOnUnreadBody } from './common/close-on-unread-body';
import type { ApiConfig } from './config/env';
import { SESSION_COOKIE } from './modules/auth/secret-token';

/** How long one request (an item import, in practice) may take to arrive. */
const UPLOAD_REQUEST_TIMEOUT_MS = 60 * 60 * 1000;

/** Builds the configured HTTP app; main.ts and the tests both start it this way. */
export async function createApiApp(config: ApiConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  useServiceLogger(app);
  // A 1 GiB import streams in for minutes; Node's default cuts every request at 5. Slow headers are
  // still cut at headersTimeout, and a stalled upload at this limit.
  (app.getHttpServer() as Server).requestTimeout = UPLOAD_REQUEST_TIMEOUT_MS;
  // Behind a reverse proxy, the client's address (for sign-in rate limits) is in X-Forwarded-For.
  if (config.TRUST_PROXY !== 0) app.set('trust proxy', config.TRUST_PROXY);
  // Answers are data for the site and scripts: no framework banner, never sniffed as something else, and
  // never kept by a browser or proxy cache (they hold people's work, accounts and tokens).
  app.disable('x-powered-by');
  app.use((_request: IncomingMessage, response: ServerResponse, next: () => void) => {
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(closeConnectionOnUnreadBody);
  app.use(cookieParser());
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

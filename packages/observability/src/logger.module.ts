import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DynamicModule, INestApplicationContext } from '@nestjs/common';
import { Logger, LoggerModule } from 'nestjs-pino';
import { CORRELATION_ID_HEADER } from '@foreman/contracts';
import { currentCorrelationId } from './correlation';

export interface ServiceLoggerOptions {
  service: string;
  level: string;
}

/**
 * JSON logs, one line per event. HTTP requests take their correlation id from the `x-correlation-id`
 * header (or get a new one) and echo it back; every other line carries the id of the work it belongs to.
 */
export function serviceLoggerModule({ service, level }: ServiceLoggerOptions): DynamicModule {
  return LoggerModule.forRoot({
    pinoHttp: {
      level,
      base: { service },
      mixin: () => {
        const correlationId = currentCorrelationId();
        return correlationId ? { correlationId } : {};
      },
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        const given = req.headers[CORRELATION_ID_HEADER];
        const id = typeof given === 'string' && /^[\w.:-]{1,200}$/.test(given) ? given : randomUUID();
        res.setHeader(CORRELATION_ID_HEADER, id);
        return id;
      },
      customProps: (req: IncomingMessage) => ({
        correlationId: (req as IncomingMessage & { id?: string }).id,
      }),
      autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' || req.url === '/metrics' },
      redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
    },
  });
}

/** Routes Nest's own logging through the service's JSON logger. */
export function useServiceLogger(app: INestApplicationContext): void {
  app.useLogger(app.get(Logger));
}

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
      // Lines written inside the request's correlation context get the id from the mixin. The request's own
      // line names it here only when written outside it (a connection closed by the drain, say): a second
      // "correlationId" key in one line is invalid for log stores that reject duplicate keys.
      customSuccessObject: (req: IncomingMessage, _res: ServerResponse, line: object) =>
        withRequestId(req, line),
      customErrorObject: (req: IncomingMessage, _res: ServerResponse, _error: Error, line: object) =>
        withRequestId(req, line),
      autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' || req.url === '/metrics' },
      redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
    },
  });
}

function withRequestId(req: IncomingMessage, line: object): object {
  if (currentCorrelationId()) return line;
  return { ...line, correlationId: (req as IncomingMessage & { id?: string }).id };
}

/** Routes Nest's own logging through the service's JSON logger. */
export function useServiceLogger(app: INestApplicationContext): void {
  app.useLogger(app.get(Logger));
}

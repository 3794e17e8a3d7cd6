import {
  ArgumentsHost,
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ExceptionFilter,
} from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Response } from 'express';
import type { ApiError } from '@foreman/contracts';

/** Every error leaves the API in one shape (ApiError); unexpected ones are logged, never shown. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(ApiExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toApiError(exception);
    if (body.statusCode >= 500) this.logger.error(exception);
    if (body.statusCode === HttpStatus.SERVICE_UNAVAILABLE) response.setHeader('Retry-After', '1');
    response.status(body.statusCode).json(body);
  }

  private toApiError(exception: unknown): ApiError {
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const raw = exception.getResponse();
      const error = STATUS_CODES[statusCode] ?? 'Error';
      if (typeof raw === 'string') return { statusCode, error, message: raw };
      const { message, details, reason } = raw as Pick<ApiError, 'details' | 'reason'> & {
        message?: unknown;
      };
      return {
        statusCode,
        error,
        message: Array.isArray(message) ? message.join('; ') : String(message ?? error),
        ...(details === undefined ? {} : { details }),
        ...(reason === undefined ? {} : { reason }),
      };
    }
    // Body-parser errors (malformed JSON, oversized bodies) carry their own 4xx status.
    const status = (exception as { status?: unknown; type?: unknown })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const type = (exception as { type?: string }).type;
      const message =
        type === 'entity.too.large'
          ? 'request body is too large'
          : type === 'entity.parse.failed'
            ? `request body is not valid JSON: ${(exception as Error).message}`
            : (exception as Error).message;
      return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message };
    }
    // No database connection to be had (pool exhausted under load, database restarting): the request did
    // nothing, and retrying it in a moment is the right thing for the client to do.
    if (isDatabaseUnavailable(exception)) {
      return {
        statusCode: HttpStatus.SERVICE_UNAVAILABLE,
        error: 'Service Unavailable',
        message: 'the database is busy or restarting; retry in a moment',
      };
    }
    return {
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      error: 'Internal Server Error',
      message: 'unexpected error',
    };
  }
}

/** pg-pool's acquisition timeout, a refused or dropped connection, or the server shutting down. */
function isDatabaseUnavailable(exception: unknown): boolean {
  const { message, code } = (exception ?? {}) as { message?: unknown; code?: unknown };
  return (
    message === 'timeout exceeded when trying to connect' ||
    message === 'Connection terminated unexpectedly' ||
    (typeof code === 'string' && ['ECONNREFUSED', '57P01', '57P02', '57P03'].includes(code))
  );
}

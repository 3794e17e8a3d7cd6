import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { runWithCorrelationId } from '@foreman/observability';

/**
 * Runs the request inside its correlation id (the one the request logger gave it), so events written to
 * the outbox carry the id of the HTTP request that caused them.
 */
@Injectable()
export class CorrelationContextMiddleware implements NestMiddleware {
  use(request: Request & { id?: unknown }, _response: Response, next: NextFunction): void {
    runWithCorrelationId(typeof request.id === 'string' ? request.id : undefined, next);
  }
}

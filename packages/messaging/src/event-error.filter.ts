import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';

/**
 * Nest's default RPC filter turns every handler error into "Internal server error"; this one lets the
 * original error through, so retries and dead letters carry the real reason. Register it on each
 * consumer app (`app.useGlobalFilters(new EventErrorFilter())`).
 */
@Catch()
export class EventErrorFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}

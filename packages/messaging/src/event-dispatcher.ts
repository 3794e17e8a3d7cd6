import { lastValueFrom, type Observable } from 'rxjs';
import { InvalidEventError, parseEvent, type DomainEvent } from '@foreman/contracts';
import { runWithCorrelationId } from '@foreman/observability';
import { EventContext } from './event-context';

export type EventHandlerLookup = (type: string) => ((data: unknown, ctx: EventContext) => unknown) | null;
export type ToObservable = (value: unknown) => Observable<unknown>;

export type DispatchOutcome =
  | { kind: 'handled'; event: DomainEvent }
  | { kind: 'retry'; reason: string }
  | { kind: 'dead-letter'; reason: string };

export interface RetryPolicy {
  /** Deliveries before a failing event is dead-lettered (default 5). */
  maxAttempts: number;
  /** Delay before delivery `attempt + 1` (default 0.5 s doubling, at most 15 s). */
  delayMs(attempt: number): number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  delayMs: (attempt) => Math.min(500 * 2 ** (attempt - 1), 15_000),
};

/**
 * The transport-independent part of consuming: parse, validate against the contracts, find the
 * `@EventPattern` handler and run it to completion. Malformed events and events nobody handles go
 * straight to the dead letters; a handler that throws is retried, then dead-lettered.
 */
export async function dispatchEvent(
  body: Buffer | string,
  delivery: { attempt: number; consumer: string },
  policy: RetryPolicy,
  findHandler: EventHandlerLookup,
  toObservable: ToObservable,
): Promise<DispatchOutcome> {
  let event: DomainEvent;
  try {
    event = parseEvent(JSON.parse(body.toString()));
  } catch (error) {
    const reason =
      error instanceof InvalidEventError ? error.message : `malformed JSON: ${(error as Error).message}`;
    return { kind: 'dead-letter', reason };
  }
  const handler = findHandler(event.type);
  if (!handler)
    return { kind: 'dead-letter', reason: `no handler for ${event.type} in ${delivery.consumer}` };
  try {
    await runWithCorrelationId(event.correlationId, async () => {
      const result = await handler(event, new EventContext([delivery]));
      await lastValueFrom(toObservable(result), { defaultValue: undefined });
    });
    return { kind: 'handled', event };
  } catch (error) {
    const reason = `${event.type} ${event.id} failed on attempt ${delivery.attempt}: ${(error as Error).message}`;
    return delivery.attempt >= policy.maxAttempts
      ? { kind: 'dead-letter', reason }
      : { kind: 'retry', reason };
  }
}

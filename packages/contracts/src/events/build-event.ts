import { randomUUID } from 'node:crypto';
import type { EventType } from './event-types';
import { parseEventOf, type EventOf } from './parse-event';

/** Wraps a payload in a new, validated envelope. Throws InvalidEventError naming any bad field. */
export function buildEvent<T extends EventType>(
  type: T,
  projectId: string,
  payload: EventOf<T>['payload'],
  correlationId?: string,
): EventOf<T> {
  return parseEventOf(type, {
    id: randomUUID(),
    type,
    schemaVersion: 1,
    occurredAt: new Date().toISOString(),
    projectId,
    ...(correlationId ? { correlationId } : {}),
    payload,
  });
}

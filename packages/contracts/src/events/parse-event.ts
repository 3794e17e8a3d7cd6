import { z } from 'zod';
import { EVENT_TYPES, type EventType } from './event-types';
import { EVENT_SCHEMAS, type DomainEvent } from './schemas';
import { formatIssues } from '../validation';

export type EventOf<T extends EventType> = z.infer<(typeof EVENT_SCHEMAS)[T]>;

export class InvalidEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEventError';
  }
}

const knownTypes = new Set<string>(Object.values(EVENT_TYPES));

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && knownTypes.has(value);
}

/** Validates an incoming event against the schema its `type` names; throws InvalidEventError naming the bad fields. */
export function parseEvent(raw: unknown): DomainEvent {
  const type = (raw as { type?: unknown } | null)?.type;
  if (!isEventType(type)) {
    throw new InvalidEventError(`type: unknown event type ${JSON.stringify(type)}`);
  }
  return parseEventOf(type, raw) as DomainEvent;
}

/** Validates an event of a known type, for publishing or for a consumer bound to one type. */
export function parseEventOf<T extends EventType>(type: T, raw: unknown): EventOf<T> {
  const result = EVENT_SCHEMAS[type].safeParse(raw);
  if (!result.success) {
    throw new InvalidEventError(`${type}: ${formatIssues(result.error)}`);
  }
  return result.data as EventOf<T>;
}

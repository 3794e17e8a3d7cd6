/**
 * The RabbitMQ topology every service declares and infra/rabbitmq/definitions.json mirrors.
 *
 * One durable topic exchange carries every event; the routing key is the versioned event type.
 * Each consumer owns one durable queue bound to the keys it handles, and a dead-letter queue
 * (through one direct dead-letter exchange, keyed by the queue name) for messages it cannot process.
 * model.trained and queue.updated have no consumer queue yet: they are for observers (the API reads
 * model versions from the database), who bind their own queue to the exchange.
 */
import { EVENT_TYPES, type EventType } from './events/event-types';

export const EVENTS_EXCHANGE = 'foreman.events';
export const DEAD_LETTER_EXCHANGE = 'foreman.dead-letter';

export interface ConsumerQueue {
  /** Durable queue the consumer reads. */
  name: string;
  /** Queue that receives what the consumer rejects, with the reason in the headers. */
  deadLetterQueue: string;
  /** Routing keys (event types) bound to the queue. */
  bindings: readonly EventType[];
}

function consumerQueue(consumer: string, bindings: readonly EventType[]): ConsumerQueue {
  return { name: `foreman.${consumer}`, deadLetterQueue: `foreman.${consumer}.dead`, bindings };
}

export const CONSUMER_QUEUES = {
  trainer: consumerQueue('trainer', [
    EVENT_TYPES.itemsImported,
    EVENT_TYPES.projectModelSettingsChanged,
    EVENT_TYPES.labelSubmitted,
    EVENT_TYPES.labelRetracted,
  ]),
  scheduler: consumerQueue('scheduler', [EVENT_TYPES.rankingComputed]),
} as const satisfies Record<string, ConsumerQueue>;

export type ConsumerName = keyof typeof CONSUMER_QUEUES;

/** Header naming why a message was dead-lettered. */
export const DEAD_LETTER_REASON_HEADER = 'x-foreman-reason';
/** Header counting how often delivery of a message has failed. */
export const DELIVERY_ATTEMPTS_HEADER = 'x-foreman-attempts';
/** Header carrying the correlation id from the HTTP request that caused an event. */
export const CORRELATION_ID_HEADER = 'x-correlation-id';

/** Queue arguments, identical wherever a queue is declared (a mismatch makes RabbitMQ refuse the declare). */
export function consumerQueueArguments(queue: ConsumerQueue): Record<string, string> {
  return {
    'x-queue-type': 'classic',
    'x-dead-letter-exchange': DEAD_LETTER_EXCHANGE,
    'x-dead-letter-routing-key': queue.deadLetterQueue,
  };
}

/** The topology as a RabbitMQ definitions document (infra/rabbitmq/definitions.json is generated from it). */
export function rabbitmqDefinitions(vhost = '/') {
  const queues = Object.values(CONSUMER_QUEUES);
  return {
    vhosts: [{ name: vhost }],
    exchanges: [EVENTS_EXCHANGE, DEAD_LETTER_EXCHANGE].map((name) => ({
      name,
      vhost,
      type: name === EVENTS_EXCHANGE ? 'topic' : 'direct',
      durable: true,
      auto_delete: false,
      internal: false,
      arguments: {},
    })),
    queues: queues.flatMap((queue) => [
      {
        name: queue.name,
        vhost,
        durable: true,
        auto_delete: false,
        arguments: consumerQueueArguments(queue),
      },
      {
        name: queue.deadLetterQueue,
        vhost,
        durable: true,
        auto_delete: false,
        arguments: { 'x-queue-type': 'classic' },
      },
    ]),
    bindings: queues.flatMap((queue) => [
      ...queue.bindings.map((routingKey) => ({
        source: EVENTS_EXCHANGE,
        vhost,
        destination: queue.name,
        destination_type: 'queue',
        routing_key: routingKey,
        arguments: {},
      })),
      {
        source: DEAD_LETTER_EXCHANGE,
        vhost,
        destination: queue.deadLetterQueue,
        destination_type: 'queue',
        routing_key: queue.deadLetterQueue,
        arguments: {},
      },
    ]),
  };
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONSUMER_QUEUES, EVENTS_EXCHANGE, EVENT_TYPES, rabbitmqDefinitions } from '../src';

const definitionsPath = join(__dirname, '../../../infra/rabbitmq/definitions.json');

describe('message topology', () => {
  it('matches infra/rabbitmq/definitions.json (regenerate with `pnpm --filter @foreman/contracts definitions`)', () => {
    const onDisk = JSON.parse(readFileSync(definitionsPath, 'utf8'));
    expect(onDisk).toEqual(rabbitmqDefinitions());
  });

  it('routes the events that drive the loop: labels and imports to the trainer, rankings to the scheduler', () => {
    expect(CONSUMER_QUEUES.trainer.bindings).toEqual(
      expect.arrayContaining([EVENT_TYPES.labelSubmitted, EVENT_TYPES.labelRetracted, EVENT_TYPES.itemsImported]),
    );
    expect(CONSUMER_QUEUES.scheduler.bindings).toEqual([EVENT_TYPES.rankingComputed]);
  });

  it('gives every consumer queue a dead-letter queue bound on the dead-letter exchange', () => {
    const definitions = rabbitmqDefinitions();
    for (const queue of Object.values(CONSUMER_QUEUES)) {
      const declared = definitions.queues.find((q) => q.name === queue.name);
      expect(declared?.arguments['x-dead-letter-routing-key']).toBe(queue.deadLetterQueue);
      expect(definitions.queues.map((q) => q.name)).toContain(queue.deadLetterQueue);
      expect(definitions.bindings).toContainEqual(
        expect.objectContaining({ destination: queue.deadLetterQueue, routing_key: queue.deadLetterQueue }),
      );
    }
    expect(definitions.exchanges).toContainEqual(
      expect.objectContaining({ name: EVENTS_EXCHANGE, type: 'topic', durable: true }),
    );
  });
});

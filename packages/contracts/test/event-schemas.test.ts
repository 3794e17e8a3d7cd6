import { randomUUID } from 'node:crypto';
import { EVENT_TYPES, InvalidEventError, buildEvent, parseEvent, type EventType } from '../src';

const projectId = randomUUID();
const labellerId = randomUUID();

const validPayloads: { [T in EventType]: unknown } = {
  [EVENT_TYPES.itemsImported]: { inserted: 1797, totalItems: 1797 },
  [EVENT_TYPES.projectModelSettingsChanged]: { changed: ['strategy'] },
  [EVENT_TYPES.labelSubmitted]: { labelId: 1, itemId: 7, labellerId, value: ['3'] },
  [EVENT_TYPES.labelRetracted]: { labelId: 1, itemId: 7, labellerId },
  [EVENT_TYPES.modelTrained]: {
    modelVersion: 2,
    labelCount: 40,
    metrics: {
      accuracy: 0.8,
      evaluation: 'holdout',
      evaluatedOn: 12,
      perClass: [{ className: '3', precision: 1, recall: 0.5, support: 2 }],
    },
    trainingMs: 850,
    backend: 'wasm',
  },
  [EVENT_TYPES.rankingComputed]: {
    modelVersion: 2,
    strategy: 'entropy',
    chunkIndex: 0,
    chunkCount: 2,
    items: [{ itemId: 7, score: 2.1, rank: 0 }],
  },
  [EVENT_TYPES.queueUpdated]: { modelVersion: 2, itemsMoved: 1757, durationMs: 41 },
};

/** One broken payload per type, and the field the error must name. */
const invalidPayloads: { [T in EventType]: [unknown, string] } = {
  [EVENT_TYPES.itemsImported]: [{ inserted: -1, totalItems: 1 }, 'payload.inserted'],
  [EVENT_TYPES.projectModelSettingsChanged]: [{ changed: ['name'] }, 'payload.changed'],
  [EVENT_TYPES.labelSubmitted]: [{ labelId: 1, itemId: 7, labellerId, value: [] }, 'payload.value'],
  [EVENT_TYPES.labelRetracted]: [{ labelId: 1, itemId: 7, labellerId: 'bob' }, 'payload.labellerId'],
  [EVENT_TYPES.modelTrained]: [
    { ...(validPayloads[EVENT_TYPES.modelTrained] as object), metrics: { accuracy: 1.5 } },
    'payload.metrics.accuracy',
  ],
  [EVENT_TYPES.rankingComputed]: [
    { ...(validPayloads[EVENT_TYPES.rankingComputed] as object), chunkIndex: 2 },
    'payload.chunkIndex',
  ],
  [EVENT_TYPES.queueUpdated]: [{ modelVersion: 0, itemsMoved: 1, durationMs: 1 }, 'payload.modelVersion'],
};

describe.each(Object.values(EVENT_TYPES))('%s', (type) => {
  it('accepts a valid event in its envelope', () => {
    const event = buildEvent(type, projectId, validPayloads[type] as never, 'req-1');
    expect(parseEvent(JSON.parse(JSON.stringify(event)))).toEqual(event);
    expect(event).toMatchObject({ type, schemaVersion: 1, projectId, correlationId: 'req-1' });
  });

  it('rejects a bad payload, naming the field', () => {
    const [payload, field] = invalidPayloads[type];
    const event = { ...buildEvent(type, projectId, validPayloads[type] as never), payload };
    expect(() => parseEvent(event)).toThrow(InvalidEventError);
    expect(() => parseEvent(event)).toThrow(field);
  });

  it('rejects a bad envelope, naming the field', () => {
    const event = buildEvent(type, projectId, validPayloads[type] as never);
    expect(() => parseEvent({ ...event, id: 'not-a-uuid' })).toThrow(/^[^:]+: id:/);
    expect(() => parseEvent({ ...event, occurredAt: 'yesterday' })).toThrow('occurredAt');
    expect(() => parseEvent({ ...event, schemaVersion: 2 })).toThrow('schemaVersion');
  });
});

it('rejects an unknown event type', () => {
  expect(() => parseEvent({ type: 'label.deleted.v9' })).toThrow('unknown event type "label.deleted.v9"');
});

it('takes null for a precision or recall that is 0/0, and still reads versions stored with 0 for it', () => {
  const trained = validPayloads[EVENT_TYPES.modelTrained] as { metrics: object };
  const withClasses = (perClass: unknown[]) =>
    buildEvent(EVENT_TYPES.modelTrained, projectId, {
      ...trained,
      metrics: { ...trained.metrics, perClass },
    } as never);
  // a class with no held-out items, and one the model never predicted
  const unknown = withClasses([
    { className: '3', precision: null, recall: null, support: 0 },
    { className: '4', precision: null, recall: 0, support: 2 },
  ]);
  expect(parseEvent(JSON.parse(JSON.stringify(unknown)))).toEqual(unknown);
  const stored = withClasses([{ className: '3', precision: 0, recall: 0, support: 0 }]);
  expect(parseEvent(stored)).toEqual(stored);
  expect(() =>
    parseEvent(withClasses([{ className: '3', precision: 1.2, recall: null, support: 0 }])),
  ).toThrow('payload.metrics.perClass.0.precision');
});

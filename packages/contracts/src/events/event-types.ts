/** Versioned event types; each is also the routing key on the events exchange. */
export const EVENT_TYPES = {
  itemsImported: 'items.imported.v1',
  projectModelSettingsChanged: 'project.model-settings-changed.v1',
  labelSubmitted: 'label.submitted.v1',
  labelRetracted: 'label.retracted.v1',
  modelTrained: 'model.trained.v1',
  rankingComputed: 'ranking.computed.v1',
  queueUpdated: 'queue.updated.v1',
} as const;

export type EventType = (typeof EVENT_TYPES)[keyof typeof EVENT_TYPES];

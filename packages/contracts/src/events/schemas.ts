import { z } from 'zod';
import { acquisitionStrategySchema } from '../dto/project';
import { envelopeSchema } from './envelope';
import { EVENT_TYPES } from './event-types';

const itemId = z.number().int().positive();
const labelValue = z.array(z.string().min(1)).min(1);

export const itemsImportedEventSchema = envelopeSchema(
  EVENT_TYPES.itemsImported,
  z.object({ inserted: z.number().int().nonnegative(), totalItems: z.number().int().nonnegative() }),
);

/** Project settings the model and its ranking depend on: a change to one asks for a fresh ranking. */
export const MODEL_SETTINGS = ['classes', 'multiLabel', 'strategy', 'shuffleProportion'] as const;

export const projectModelSettingsChangedEventSchema = envelopeSchema(
  EVENT_TYPES.projectModelSettingsChanged,
  z.object({ changed: z.array(z.enum(MODEL_SETTINGS)).min(1) }),
);

export const labelSubmittedEventSchema = envelopeSchema(
  EVENT_TYPES.labelSubmitted,
  z.object({
    labelId: z.number().int().positive(),
    itemId,
    labellerId: z.uuid(),
    value: labelValue,
  }),
);

export const labelRetractedEventSchema = envelopeSchema(
  EVENT_TYPES.labelRetracted,
  z.object({
    labelId: z.number().int().positive(),
    itemId,
    labellerId: z.uuid(),
  }),
);

export const classMetricsSchema = z.object({
  className: z.string(),
  /** Of the held-out items predicted as this class, the share labelled so; null when none was (0/0). */
  precision: z.number().min(0).max(1).nullable(),
  /** Of the held-out items labelled this class, the share predicted so; null when there were none (0/0). */
  recall: z.number().min(0).max(1).nullable(),
  /** Held-out items labelled this class. */
  support: z.number().int().nonnegative(),
});

export const modelMetricsSchema = z.object({
  accuracy: z.number().min(0).max(1),
  evaluation: z.enum(['holdout', 'k-fold']),
  evaluatedOn: z.number().int().nonnegative(),
  perClass: z.array(classMetricsSchema),
});

export const modelTrainedEventSchema = envelopeSchema(
  EVENT_TYPES.modelTrained,
  z.object({
    modelVersion: z.number().int().positive(),
    labelCount: z.number().int().nonnegative(),
    metrics: modelMetricsSchema,
    trainingMs: z.number().nonnegative(),
    backend: z.string().min(1),
  }),
);

export const rankedItemSchema = z.object({
  itemId,
  /** Acquisition score: higher means more useful to label. */
  score: z.number().finite(),
  /** Position in the ranking after shuffling: 0 is served first. */
  rank: z.number().int().nonnegative(),
  /** The model's most likely class for the item, for exports and the admin view (optional). */
  predictedClass: z.string().optional(),
  /** The model's probability of predictedClass (optional). */
  predictedProbability: z.number().min(0).max(1).optional(),
  /** Placed at this rank by the exploration shuffle (the project's shuffleProportion), not by its score. */
  shuffled: z.boolean().optional(),
});

export const rankingComputedEventSchema = envelopeSchema(
  EVENT_TYPES.rankingComputed,
  z
    .object({
      modelVersion: z.number().int().positive(),
      strategy: acquisitionStrategySchema,
      chunkIndex: z.number().int().nonnegative(),
      chunkCount: z.number().int().positive(),
      items: z.array(rankedItemSchema),
    })
    .refine((ranking) => ranking.chunkIndex < ranking.chunkCount, {
      message: 'chunkIndex must be below chunkCount',
      path: ['chunkIndex'],
    }),
);

export const queueUpdatedEventSchema = envelopeSchema(
  EVENT_TYPES.queueUpdated,
  z.object({
    modelVersion: z.number().int().positive(),
    itemsMoved: z.number().int().nonnegative(),
    durationMs: z.number().nonnegative(),
  }),
);

export const EVENT_SCHEMAS = {
  [EVENT_TYPES.itemsImported]: itemsImportedEventSchema,
  [EVENT_TYPES.projectModelSettingsChanged]: projectModelSettingsChangedEventSchema,
  [EVENT_TYPES.labelSubmitted]: labelSubmittedEventSchema,
  [EVENT_TYPES.labelRetracted]: labelRetractedEventSchema,
  [EVENT_TYPES.modelTrained]: modelTrainedEventSchema,
  [EVENT_TYPES.rankingComputed]: rankingComputedEventSchema,
  [EVENT_TYPES.queueUpdated]: queueUpdatedEventSchema,
} as const;

export type ItemsImportedEvent = z.infer<typeof itemsImportedEventSchema>;
export type ProjectModelSettingsChangedEvent = z.infer<typeof projectModelSettingsChangedEventSchema>;
export type LabelSubmittedEvent = z.infer<typeof labelSubmittedEventSchema>;
export type LabelRetractedEvent = z.infer<typeof labelRetractedEventSchema>;
export type ModelTrainedEvent = z.infer<typeof modelTrainedEventSchema>;
export type RankingComputedEvent = z.infer<typeof rankingComputedEventSchema>;
export type QueueUpdatedEvent = z.infer<typeof queueUpdatedEventSchema>;
export type ModelMetrics = z.infer<typeof modelMetricsSchema>;
export type RankedItem = z.infer<typeof rankedItemSchema>;

export type DomainEvent =
  | ItemsImportedEvent
  | ProjectModelSettingsChangedEvent
  | LabelSubmittedEvent
  | LabelRetractedEvent
  | ModelTrainedEvent
  | RankingComputedEvent
  | QueueUpdatedEvent;

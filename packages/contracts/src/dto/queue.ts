import { z } from 'zod';
import { acquisitionStrategySchema } from './project';

/** A vector of numbers, an image URL or a text, by the project's input kind. */
export const itemPayloadSchema = z.union([
  z.object({ vector: z.array(z.number().finite()) }),
  z.object({ url: z.url() }),
  z.object({ text: z.string() }),
]);

export const itemSchema = z.object({
  id: z.number().int().positive(),
  externalId: z.string(),
  payload: itemPayloadSchema,
});

/** Why the queue served this item: what the scheduler last applied to it. */
export const queueReasonSchema = z.object({
  /** Position in the applied ranking (0 is served first); null when the item is not in it. */
  rank: z.number().int().nonnegative().nullable(),
  score: z.number().nullable(),
  strategy: acquisitionStrategySchema.nullable(),
  modelVersion: z.number().int().nullable(),
  /** The exploration shuffle put the item at this rank, not its score (false when not ranked). */
  shuffled: z.boolean(),
});

export const leaseSchema = z.object({
  id: z.number().int().positive(),
  expiresAt: z.iso.datetime({ offset: true }),
});

/** Items of a project in three disjoint groups: total = fullyLabelled + inProgress + remaining. */
export const progressCountsSchema = z.object({
  total: z.number().int().nonnegative(),
  /** Items with every label they need. */
  fullyLabelled: z.number().int().nonnegative(),
  /** Items that still need labels and have some already, or are leased right now. */
  inProgress: z.number().int().nonnegative(),
  /** Items nobody has started yet. */
  remaining: z.number().int().nonnegative(),
  /** Labels this labeller has given in the project. */
  mine: z.number().int().nonnegative(),
});

export const nextItemResponseSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('item'),
    item: itemSchema,
    lease: leaseSchema,
    reason: queueReasonSchema,
    progress: progressCountsSchema,
  }),
  z.object({
    status: z.literal('done'),
    progress: progressCountsSchema,
    /**
     * Items that still need labels and that this labeller skipped: the only ones left for them once
     * `heldByOthers` is 0. POST /projects/:id/skips/clear offers them again.
     */
    skipped: z.number().int().nonnegative(),
    /**
     * Items this labeller could take but another labeller holds a lease on right now: they come back to
     * the queue if that labeller skips them or their lease runs out.
     */
    heldByOthers: z.number().int().nonnegative(),
  }),
]);

export const labelValueSchema = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/** A client-chosen id that makes a retried request answer the same instead of acting twice. */
const clientRequestIdSchema = z.string().min(1).max(100);

export const submitLabelRequestSchema = z
  .object({
    leaseId: z.number().int().positive().optional(),
    value: labelValueSchema,
    clientRequestId: clientRequestIdSchema,
    /**
     * Also lease the caller's next item and answer it as `next`: the labelling page's one round trip
     * between items instead of two (submit, then POST /projects/:id/next).
     */
    next: z.boolean().optional(),
  })
  .strict();

export const labelSchema = z.object({
  id: z.number().int().positive(),
  itemId: z.number().int().positive(),
  labellerId: z.uuid(),
  value: z.array(z.string()),
  createdAt: z.iso.datetime({ offset: true }),
  retractedAt: z.iso.datetime({ offset: true }).nullable(),
});

/**
 * POST /items/:id/labels: the label (the same one again for a retried request) and the caller's progress;
 * with `next: true`, also the caller's next item, as POST /projects/:id/next answers it (left out when the
 * project is archived: that call says why labelling is closed).
 */
export const submitLabelResponseSchema = z.object({
  label: labelSchema,
  progress: progressCountsSchema,
  next: nextItemResponseSchema.optional(),
});

/**
 * POST /projects/:id/undo (a body is optional): with a `clientRequestId`, a retry of an undo whose answer
 * was lost answers the label that undo took back instead of taking back the one before it.
 */
export const undoRequestSchema = z
  .object({ clientRequestId: clientRequestIdSchema.optional() })
  .strict()
  .default({});

/** POST /items/:id/skip. */
export const skipItemResponseSchema = z.object({ progress: progressCountsSchema });

/**
 * POST /projects/:id/undo and DELETE /labels/:id: the retracted label, and the caller's next item, which
 * is the retracted item again unless another labeller holds a live lease on it by now.
 */
export const retractLabelResponseSchema = z.object({ label: labelSchema, next: nextItemResponseSchema });

/** POST /projects/:id/skips/clear: how many of the caller's skips were cleared, and their next item. */
export const clearSkipsResponseSchema = z.object({
  cleared: z.number().int().nonnegative(),
  next: nextItemResponseSchema,
});

export const importRejectionSchema = z.object({ row: z.number().int().positive(), reason: z.string() });

export const importReportSchema = z.object({
  received: z.number().int().nonnegative(),
  inserted: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  /** The first rejected rows (1-based row numbers in the file) with their reasons. */
  rejections: z.array(importRejectionSchema),
});

export const labellerProgressSchema = z.object({
  labellerId: z.uuid(),
  displayName: z.string(),
  labels: z.number().int().nonnegative(),
  /** Share of this labeller's labels that agree with the item's majority, on items with several labels. */
  agreement: z.number().min(0).max(1).nullable(),
});

export const progressResponseSchema = z.object({
  total: z.number().int().nonnegative(),
  fullyLabelled: z.number().int().nonnegative(),
  inProgress: z.number().int().nonnegative(),
  remaining: z.number().int().nonnegative(),
  leased: z.number().int().nonnegative(),
  /** Items still needing labels that at least one labeller skipped. */
  skipped: z.number().int().nonnegative(),
  /**
   * Of those, the items no one will be served: every active member who has not labelled them skipped them.
   * They wait until a member shows their skipped items again, or a new member joins.
   */
  waitingOnSkips: z.number().int().nonnegative(),
  /**
   * Items still needing labels that every active member has labelled: nobody is left to give them, until a
   * new member joins or labels per item is lowered.
   */
  waitingOnMembers: z.number().int().nonnegative(),
  labellers: z.array(labellerProgressSchema),
  classDistribution: z.array(z.object({ className: z.string(), count: z.number().int().nonnegative() })),
  /** Mean agreement with the majority on items with several labels; null when there are none. */
  agreement: z.number().min(0).max(1).nullable(),
  /** Labels given per hour bucket, oldest first, for the progress-over-time chart. */
  timeline: z.array(
    z.object({ at: z.iso.datetime({ offset: true }), labels: z.number().int().nonnegative() }),
  ),
});

export const exportFormatSchema = z.enum(['csv', 'json', 'ndjson']);

/** GET /projects/:id/export query; CSV when no format is given. */
export const exportQuerySchema = z.object({ format: exportFormatSchema.default('csv') });

export const exportRowSchema = z.object({
  itemId: z.number().int().positive(),
  externalId: z.string(),
  payload: itemPayloadSchema,
  labels: z.array(
    z.object({
      value: z.array(z.string()),
      labellerId: z.uuid(),
      labeller: z.string(),
      createdAt: z.string(),
    }),
  ),
  majority: z.array(z.string()).nullable(),
  agreement: z.number().min(0).max(1).nullable(),
  prediction: z
    .object({ className: z.string(), probability: z.number(), modelVersion: z.number().int() })
    .nullable(),
});

export type ItemPayload = z.infer<typeof itemPayloadSchema>;
export type Item = z.infer<typeof itemSchema>;
export type QueueReason = z.infer<typeof queueReasonSchema>;
export type Lease = z.infer<typeof leaseSchema>;
export type ProgressCounts = z.infer<typeof progressCountsSchema>;
export type NextItemResponse = z.infer<typeof nextItemResponseSchema>;
export type LabelValue = z.infer<typeof labelValueSchema>;
export type SubmitLabelRequest = z.infer<typeof submitLabelRequestSchema>;
export type Label = z.infer<typeof labelSchema>;
export type SubmitLabelResponse = z.infer<typeof submitLabelResponseSchema>;
export type SkipItemResponse = z.infer<typeof skipItemResponseSchema>;
export type UndoRequest = z.infer<typeof undoRequestSchema>;
export type RetractLabelResponse = z.infer<typeof retractLabelResponseSchema>;
export type ClearSkipsResponse = z.infer<typeof clearSkipsResponseSchema>;
export type ImportReport = z.infer<typeof importReportSchema>;
export type ProgressResponse = z.infer<typeof progressResponseSchema>;
export type ExportFormat = z.infer<typeof exportFormatSchema>;
export type ExportQuery = z.infer<typeof exportQuerySchema>;
export type ExportRow = z.infer<typeof exportRowSchema>;

import { z } from 'zod';

/**
 * Why the queue refused a label, skip, next or undo (409), for clients that act on it; `message` says it to
 * people. already-labelled: the caller's label on the item is saved (undo to change it); never-served: the
 * item was never served to the caller; lease-expired: their lease ran out and the item went to another
 * labeller or needs no more labels; fully-labelled: it got all its labels while they held it; archived:
 * labelling in the project is closed; already-retracted: the label was taken back before; not-leased: the
 * caller holds no live lease on the item to release.
 */
export const queueConflictReasonSchema = z.enum([
  'already-labelled',
  'never-served',
  'lease-expired',
  'fully-labelled',
  'archived',
  'already-retracted',
  'not-leased',
]);

/**
 * Why credentials were refused, for clients that act on it. account-deactivated: an admin deactivated the
 * account (401 for its session or API token; 403 at sign-in, said only to someone who gave its password).
 */
export const authRefusalReasonSchema = z.enum(['account-deactivated']);

/** The one shape of every error the API answers. Never a stack trace. */
export const apiErrorSchema = z.object({
  statusCode: z.number().int(),
  error: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
  reason: z.enum([...queueConflictReasonSchema.options, ...authRefusalReasonSchema.options]).optional(),
});

export type QueueConflictReason = z.infer<typeof queueConflictReasonSchema>;
export type AuthRefusalReason = z.infer<typeof authRefusalReasonSchema>;
export type ApiError = z.infer<typeof apiErrorSchema>;

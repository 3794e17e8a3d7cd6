import { z } from 'zod';
import { modelMetricsSchema } from '../events/schemas';

export const modelVersionSchema = z.object({
  version: z.number().int().positive(),
  projectId: z.uuid(),
  trainedAt: z.iso.datetime({ offset: true }),
  labelCount: z.number().int().nonnegative(),
  metrics: modelMetricsSchema,
  trainingMs: z.number().nonnegative(),
  backend: z.string(),
});

export type ModelVersion = z.infer<typeof modelVersionSchema>;

/**
 * GET /projects/:id/models: at most `points` versions. A project retrained every few labels for weeks has
 * thousands; the learning curve needs a few hundred, spread over its whole history.
 */
export const modelListQuerySchema = z.object({
  points: z.coerce.number().int().min(2).max(1000).default(200),
});

export type ModelListQuery = z.infer<typeof modelListQuerySchema>;

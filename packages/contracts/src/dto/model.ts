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

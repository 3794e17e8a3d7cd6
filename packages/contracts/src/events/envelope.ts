import { z } from 'zod';

/**
 * Every event travels in this envelope. `id` lets consumers de-duplicate redeliveries;
 * `correlationId` follows one user action from the HTTP request through every service.
 */
export function envelopeSchema<T extends string, P extends z.ZodType>(type: T, payload: P) {
  return z.object({
    id: z.uuid(),
    type: z.literal(type),
    schemaVersion: z.literal(1),
    occurredAt: z.iso.datetime({ offset: true }),
    projectId: z.uuid(),
    correlationId: z.string().min(1).max(200).optional(),
    payload,
  });
}

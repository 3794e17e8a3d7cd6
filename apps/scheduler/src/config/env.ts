import { z } from 'zod';
import {
  eventTransportSettings,
  logLevelSchema,
  nodeEnvSchema,
  parseConfig,
  refuseDefaultSecretsInProduction,
  requireAmqpUrl,
  portSchema,
  postgresUrlSchema,
} from '@foreman/contracts';

export const schedulerEnvSchema = requireAmqpUrl(
  z.object({
    NODE_ENV: nodeEnvSchema,
    /** HTTP port for /health and /metrics. */
    PORT: portSchema(4200),
    LOG_LEVEL: logLevelSchema,
    DATABASE_URL: postgresUrlSchema,
    ...eventTransportSettings,
  }),
);

export type SchedulerConfig = z.infer<typeof schedulerEnvSchema>;
export const SCHEDULER_CONFIG = Symbol('SCHEDULER_CONFIG');

export function loadSchedulerConfig(
  source: Record<string, string | undefined> = process.env,
): SchedulerConfig {
  return parseConfig(refuseDefaultSecretsInProduction(schedulerEnvSchema), source);
}

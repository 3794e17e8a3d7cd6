import { z } from 'zod';
import {
  eventTransportSettings,
  listenAddressSchema,
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
    /** The address it listens on (HOST=0.0.0.0: every interface, as in a container). */
    HOST: listenAddressSchema,
    LOG_LEVEL: logLevelSchema,
    DATABASE_URL: postgresUrlSchema,
    /** How often expired leases are released and labels-per-item quotas are checked. */
    LEASE_SWEEP_INTERVAL_SECONDS: z.coerce
      .number({ error: 'expected a number of seconds' })
      .positive('expected a number of seconds above 0')
      .max(3600, 'expected at most 3600 seconds')
      .default(5),
    /**
     * How long published outbox rows and processed-event records are kept before a sweep deletes them
     * (every label leaves one of each). Redeliveries happen within minutes; a week leaves room to look.
     */
    EVENT_RETENTION_HOURS: z.coerce
      .number({ error: 'expected a number of hours' })
      .min(1, 'expected at least 1 hour')
      .default(168),
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

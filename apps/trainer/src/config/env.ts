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

export const trainerEnvSchema = requireAmqpUrl(
  z.object({
    NODE_ENV: nodeEnvSchema,
    /** HTTP port for /health and /metrics. */
    PORT: portSchema(4100),
    LOG_LEVEL: logLevelSchema,
    DATABASE_URL: postgresUrlSchema,
    ...eventTransportSettings,
  }),
);

export type TrainerConfig = z.infer<typeof trainerEnvSchema>;
export const TRAINER_CONFIG = Symbol('TRAINER_CONFIG');

export function loadTrainerConfig(source: Record<string, string | undefined> = process.env): TrainerConfig {
  return parseConfig(refuseDefaultSecretsInProduction(trainerEnvSchema), source);
}

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

const booleanSetting = z.enum(['true', 'false']).transform((value) => value === 'true');

export const apiEnvSchema = requireAmqpUrl(
  z.object({
    NODE_ENV: nodeEnvSchema,
    PORT: portSchema(4000),
    LOG_LEVEL: logLevelSchema,
    DATABASE_URL: postgresUrlSchema,
    ...eventTransportSettings,
    /** Apply pending migrations on start (under an advisory lock, so several API instances are safe). */
    RUN_MIGRATIONS: booleanSetting.default(true),
    /** Create the "Digits (demo)" project (1,797 items) on start when it does not exist yet. */
    SEED_DEMO: booleanSetting.default(false),
    /** The demo data file; unset: data/demo/digits.csv.gz of the repository. */
    DEMO_DATA_PATH: z.string().optional(),
  }),
);

export type ApiConfig = z.infer<typeof apiEnvSchema>;
export const API_CONFIG = Symbol('API_CONFIG');

/** Reads and validates the API's settings; throws ConfigError listing every bad one. */
export function loadApiConfig(source: Record<string, string | undefined> = process.env): ApiConfig {
  return parseConfig(refuseDefaultSecretsInProduction(apiEnvSchema), source);
}

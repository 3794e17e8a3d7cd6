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

const count = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

export const trainerEnvSchema = requireAmqpUrl(
  z.object({
    NODE_ENV: nodeEnvSchema,
    /** HTTP port for /health and /metrics. */
    PORT: portSchema(4100),
    /** The address it listens on (HOST=0.0.0.0: every interface, as in a container). */
    HOST: listenAddressSchema,
    LOG_LEVEL: logLevelSchema,
    DATABASE_URL: postgresUrlSchema,
    ...eventTransportSettings,
    /** TensorFlow.js backend: auto picks tfjs-node when installed, else wasm, else cpu. */
    TRAINER_BACKEND: z.enum(['auto', 'tensorflow', 'wasm', 'cpu']).default('auto'),
    /** How often the trainer looks for projects whose retrain policy is due (ms). */
    TRAINER_POLL_MS: count(50, 60_000, 1_000),
    /** Epochs per training (the seed trained 5 at Adam 0.001; we train at 0.01 on normalised inputs). */
    TRAINER_EPOCHS: count(1, 1_000, 30),
    TRAINER_BATCH_SIZE: count(1, 4_096, 32),
    /** Unlabelled items predicted per batch while scoring: bounds memory however large the pool. */
    SCORING_BATCH_SIZE: count(1, 100_000, 2_000),
    /** Ranked items per ranking.computed event. */
    RANKING_CHUNK_SIZE: count(1, 50_000, 5_000),
  }),
);

export type TrainerConfig = z.infer<typeof trainerEnvSchema>;
export const TRAINER_CONFIG = Symbol('TRAINER_CONFIG');

export function loadTrainerConfig(source: Record<string, string | undefined> = process.env): TrainerConfig {
  return parseConfig(refuseDefaultSecretsInProduction(trainerEnvSchema), source);
}

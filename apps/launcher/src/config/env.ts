import { resolve } from 'node:path';
import { z } from 'zod';
import {
  amqpUrlSchema,
  logLevelSchema,
  parseConfig,
  portSchema,
  postgresUrlSchema,
} from '@foreman/contracts';

const repoRoot = resolve(__dirname, '../../../..');

export const launcherEnvSchema = z.object({
  /** Unset: an embedded PostgreSQL with its data in DATA_DIR. Set: that server, as in production. */
  DATABASE_URL: postgresUrlSchema.optional(),
  /** Unset: the services exchange events in-process. Set: through that RabbitMQ, as in production. */
  AMQP_URL: amqpUrlSchema.optional(),
  /** Where the embedded database and the generated admin password live; survives restarts. */
  DATA_DIR: z
    .string()
    .min(1)
    .default(resolve(repoRoot, '.data'))
    .transform((dir) => resolve(dir)),
  EMBEDDED_POSTGRES_PORT: portSchema(5488),
  API_PORT: portSchema(4000),
  TRAINER_PORT: portSchema(4100),
  SCHEDULER_PORT: portSchema(4200),
  FRONTEND_PORT: portSchema(3000),
  /** The first admin; the password is generated on first start and kept in DATA_DIR unless set here. */
  ADMIN_EMAIL: z.email().default('admin@foreman.local'),
  ADMIN_PASSWORD: z.string().min(12).optional(),
  /** Log level of the services (the launcher prints its own progress either way). */
  LOG_LEVEL: logLevelSchema.default('warn'),
  /**
   * The site's links to RabbitMQ's management UI (only with AMQP_URL) and to adminer. Unset: no link, as the
   * launcher runs no adminer and cannot tell whether, or where, AMQP_URL's broker serves its UI.
   */
  RABBITMQ_MANAGEMENT_URL: z.url().optional(),
  ADMINER_URL: z.url().optional(),
  /** Skip the Next.js site (API-only runs, tests). */
  START_FRONTEND: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
});

export type LauncherConfig = z.infer<typeof launcherEnvSchema>;

export function loadLauncherConfig(source: Record<string, string | undefined> = process.env): LauncherConfig {
  // An empty setting (`ADMIN_EMAIL=` copied from .env.example) means unset: the default applies.
  const set = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  return parseConfig(launcherEnvSchema, set);
}

export const REPO_ROOT = repoRoot;

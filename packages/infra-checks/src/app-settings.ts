/**
 * What each app reads from its environment, taken from the apps' own settings schemas (their compiled
 * dist/config/env.js), so these checks follow the apps as they grow.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './compose';

interface SettingSchema {
  safeParse(value: unknown): { success: boolean };
}

export interface AppSettings {
  app: string;
  /** Every setting the app reads. */
  names: string[];
  /** Settings without a default that must be set. */
  required: string[];
  /** The app's own loader (validation and production rules included); throws ConfigError. */
  load?: (source: Record<string, string | undefined>) => unknown;
}

function fromShape(shape: Record<string, SettingSchema>): Pick<AppSettings, 'names' | 'required'> {
  const names = Object.keys(shape);
  return { names, required: names.filter((name) => !shape[name]!.safeParse(undefined).success) };
}

/** The back-end services whose settings schemas are compiled to dist/config/env.js. */
export const BACKEND_APPS = {
  api: { schema: 'apiEnvSchema', loader: 'loadApiConfig' },
  trainer: { schema: 'trainerEnvSchema', loader: 'loadTrainerConfig' },
  scheduler: { schema: 'schedulerEnvSchema', loader: 'loadSchedulerConfig' },
} as const;

export type BackendApp = keyof typeof BACKEND_APPS;

export function backendSettings(app: BackendApp): AppSettings {
  const { schema, loader } = BACKEND_APPS[app];
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built app, resolved at run time
  const module = require(join(REPO_ROOT, 'apps', app, 'dist/config/env.js')) as Record<string, unknown>;
  const envSchema = module[schema] as { shape: Record<string, SettingSchema> } | undefined;
  if (!envSchema?.shape) throw new Error(`apps/${app}/dist/config/env.js exports no ${schema}`);
  return { app, ...fromShape(envSchema.shape), load: module[loader] as AppSettings['load'] };
}

/** What Next.js's own server reads (the standalone server.js listens on PORT and HOSTNAME). */
const NEXT_SERVER_SETTINGS = ['NODE_ENV', 'PORT', 'HOSTNAME'];

/**
 * The site's settings. Next.js compiles the site into .next, not dist, so they are read from the keys of
 * the z.object in apps/frontend/src/env.ts (each `  NAME: z....` line).
 */
export function frontendSettings(): AppSettings & { server: string[] } {
  const source = readFileSync(join(REPO_ROOT, 'apps/frontend/src/env.ts'), 'utf8');
  const names = [...source.matchAll(/^\s+([A-Z][A-Z0-9_]*):\s*z\./gm)].map((match) => match[1]!);
  const required = [...source.matchAll(/^\s+([A-Z][A-Z0-9_]*):\s*z\.(.*),$/gm)]
    .filter((match) => !/\.(optional|default)\(/.test(match[2]!))
    .map((match) => match[1]!);
  return { app: 'frontend', names, required, server: NEXT_SERVER_SETTINGS };
}

/** The one-shot migrate command (packages/database/src/migrate.ts). */
export const MIGRATE_SETTINGS: AppSettings = {
  app: 'migrate',
  names: ['DATABASE_URL'],
  required: ['DATABASE_URL'],
};

import { parseConfig } from '@foreman/contracts';
import { z } from 'zod';

/** The site's settings, read on the server at run time (never baked in at build time). */
const frontendEnvSchema = z.object({
  /** Where the Next server reaches the API; the browser only ever talks to the Next server. */
  API_URL: z.url().default('http://127.0.0.1:4000'),
  /**
   * Links on the dashboard and project settings; when unset they point at the standard ports on the host the
   * site is served from, and when empty there is no link (nothing of the kind runs, as under the launcher).
   */
  RABBITMQ_MANAGEMENT_URL: z.url().or(z.literal('')).optional(),
  ADMINER_URL: z.url().or(z.literal('')).optional(),
});

export type FrontendEnv = z.infer<typeof frontendEnvSchema>;

let cached: FrontendEnv | undefined;

/** Validated on first use, so `next build` does not need the settings. */
export function env(): FrontendEnv {
  cached ??= parseConfig(frontendEnvSchema, process.env);
  return cached;
}

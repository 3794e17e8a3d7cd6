import { ConfigError } from '@foreman/contracts';
import { runMigrations } from '@foreman/database';
import { createApiApp } from './bootstrap';
import { loadApiConfig } from './config/env';

async function main(): Promise<void> {
  const config = loadApiConfig();
  if (config.RUN_MIGRATIONS) await runMigrations(config.DATABASE_URL);
  const app = await createApiApp(config);
  await app.listen(config.PORT, config.HOST);
}

main().catch((error: unknown) => {
  // Configuration and connection problems are the operator's to fix: one clear line, no stack trace.
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    const cause = error as { message?: string; code?: string };
    console.error(
      `api failed to start: ${cause.message ?? String(error)}${cause.code ? ` (${cause.code})` : ''}`,
    );
  }
  process.exit(1);
});

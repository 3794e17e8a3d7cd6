#!/usr/bin/env node
/** `foreman-migrate up` applies pending migrations; `down` reverts the newest; `reset` reverts them all. */
import { z } from 'zod';
import { ConfigError, parseConfig, postgresUrlSchema } from '@foreman/contracts';
import { revertLastMigration, runMigrations } from './data-source';

async function main(command: string | undefined): Promise<void> {
  // eslint-disable-next-line no-restricted-properties -- this command is its own entry point
  const { DATABASE_URL } = parseConfig(z.object({ DATABASE_URL: postgresUrlSchema }), process.env);
  if (command === 'up') {
    const applied = await runMigrations(DATABASE_URL);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
  } else if (command === 'down') {
    console.log(
      (await revertLastMigration(DATABASE_URL)) ? 'reverted the newest migration' : 'nothing to revert',
    );
  } else if (command === 'reset') {
    while (await revertLastMigration(DATABASE_URL));
    console.log('reverted every migration');
  } else {
    throw new ConfigError([`command: expected up, down or reset (got ${JSON.stringify(command ?? '')})`]);
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(
    error instanceof ConfigError ? error.message : `migration failed: ${(error as Error).message}`,
  );
  process.exit(1);
});

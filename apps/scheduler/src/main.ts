import { ConfigError } from '@foreman/contracts';
import { createSchedulerApp } from './bootstrap';
import { loadSchedulerConfig } from './config/env';

async function main(): Promise<void> {
  const config = loadSchedulerConfig();
  const app = await createSchedulerApp(config);
  await app.startAllMicroservices();
  await app.listen(config.PORT, config.HOST);
}

main().catch((error: unknown) => {
  console.error(
    error instanceof ConfigError ? error.message : `scheduler failed to start: ${(error as Error).message}`,
  );
  process.exit(1);
});

import { ConfigError } from '@foreman/contracts';
import { createTrainerApp } from './bootstrap';
import { loadTrainerConfig } from './config/env';

async function main(): Promise<void> {
  const config = loadTrainerConfig();
  const app = await createTrainerApp(config);
  await app.startAllMicroservices();
  await app.listen(config.PORT, config.HOST);
}

main().catch((error: unknown) => {
  console.error(
    error instanceof ConfigError ? error.message : `trainer failed to start: ${(error as Error).message}`,
  );
  process.exit(1);
});

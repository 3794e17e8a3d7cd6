import { createTestDatabase, type TestDatabase } from '@foreman/database/testing';
import { createTestVhost, type TestVhost } from '@foreman/messaging/testing';

/**
 * Runs a bench on a throw-away database and RabbitMQ vhost, and drops both afterwards whatever happened,
 * an API that never started included.
 */
export async function withScratchSystem(
  bench: (database: TestDatabase, vhost: TestVhost) => Promise<void>,
): Promise<void> {
  const [database, vhost] = await Promise.all([createTestDatabase(), createTestVhost()]);
  try {
    await bench(database, vhost);
  } finally {
    await Promise.all([database.drop(), vhost.drop()]);
  }
}

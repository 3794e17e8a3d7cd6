import { withTestDatabase, type TestDatabase } from '@foreman/database/testing';
import { createTestVhost, type TestVhost } from '@foreman/messaging/testing';

/**
 * Runs a bench or a drill on a throw-away database and RabbitMQ vhost, and drops both afterwards whatever
 * happened, an API that never started included.
 */
export function withScratchSystem<T>(
  work: (database: TestDatabase, vhost: TestVhost) => Promise<T>,
): Promise<T> {
  return withTestDatabase(async (database) => {
    const vhost = await createTestVhost();
    try {
      return await work(database, vhost);
    } finally {
      await vhost.drop();
    }
  });
}

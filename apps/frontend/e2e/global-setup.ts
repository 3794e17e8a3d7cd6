import { createTestDatabase } from '@foreman/database/testing';
import { createTestVhost } from '@foreman/messaging/testing';
import { ADMIN, freePort, startFrontend, startNodeService, type Service } from './support/system';

/**
 * Starts the real system once for the run and hands its address to the test workers through the
 * environment. The returned function is the teardown: it stops every process and drops the db and vhost.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const started: Service[] = [];
  const database = await createTestDatabase();
  const vhost = await createTestVhost();

  async function teardown(): Promise<void> {
    for (const service of started.reverse()) await service.stop();
    await database.drop();
    await vhost.drop();
  }

  try {
    const common = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: database.url,
      AMQP_URL: vhost.url,
      EVENT_TRANSPORT: 'rabbitmq',
    };
    const api = await startNodeService('api', 'api', await freePort(), {
      ...common,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      COOKIE_SECURE: 'false',
      RUN_MIGRATIONS: 'true',
      SIGN_IN_ATTEMPTS_PER_MINUTE: '1000',
    });
    started.push(api);
    started.push(await startNodeService('trainer', 'trainer', await freePort(), common));
    started.push(await startNodeService('scheduler', 'scheduler', await freePort(), common));
    const frontend = await startFrontend(await freePort(), api.url);
    started.push(frontend);
    process.env.E2E_BASE_URL = frontend.url;
    process.env.E2E_API_URL = api.url;
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}

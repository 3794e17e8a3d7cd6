/**
 * The services start outside Docker with the environment compose gives them (this is how CI runs them):
 * the migrate command, then api, trainer and scheduler from their dist/main.js and the site's standalone
 * server, with the compose hosts pointed at this machine's PostgreSQL and RabbitMQ.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../src/compose';
import { brokerHost, localServices, type LocalServices } from './local-services';

describe('the services start with the compose environment', () => {
  let services: LocalServices;

  beforeAll(async () => {
    services = await localServices();
  });

  afterAll(async () => {
    await services?.close();
  });

  it('migrates once with the migrate service command, then api, trainer, scheduler and the site report healthy', async () => {
    const { environments } = services;
    const migrate = spawnSync(
      process.execPath,
      [join(REPO_ROOT, 'packages/database/dist/migrate.js'), 'up'],
      {
        env: { PATH: process.env.PATH ?? '', ...environments.migrate },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(migrate.stderr).toBe('');
    expect(migrate.stdout).toMatch(/^applied: /);

    const [apiPort] = await Promise.all(
      ['api', 'trainer', 'scheduler'].map((app) =>
        services.start(app, join(REPO_ROOT, `apps/${app}/dist/main.js`), {
          ...environments[app],
          LOG_LEVEL: 'warn',
        }),
      ),
    );

    // The site's image runs Next's standalone server; through it, /api/health reaches the API at API_URL.
    const site = environments.frontend!;
    expect(site.API_URL).toBe('http://api:4000');
    await expect(
      services.start(
        'frontend',
        join(REPO_ROOT, 'apps/frontend/.next/standalone/apps/frontend/server.js'),
        { ...site, API_URL: `http://127.0.0.1:${apiPort}`, HOSTNAME: '127.0.0.1' },
        { healthPath: '/api/health' },
      ),
    ).resolves.toEqual(expect.any(Number));
  }, 150_000);

  it('refuses to start in production with a default password, saying which setting', () => {
    const result = spawnSync(process.execPath, [join(REPO_ROOT, 'apps/api/dist/main.js')], {
      env: {
        PATH: process.env.PATH ?? '',
        ...services.environments.api,
        AMQP_URL: `amqp://guest:guest@${brokerHost}/${services.vhost}`,
      },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('AMQP_URL: must not use a well-known default password in production');
    expect(result.stderr).not.toContain('guest:guest');
  });
});

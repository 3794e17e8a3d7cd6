import { resolve } from 'node:path';
import { ConfigError } from '@foreman/contracts';
import { loadLauncherConfig } from '../src/config/env';
import { siteLinks } from '../src/site';

describe('launcher settings', () => {
  it('runs everything embedded when neither DATABASE_URL nor AMQP_URL is set', () => {
    const config = loadLauncherConfig({});
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.AMQP_URL).toBeUndefined();
    expect(config.API_PORT).toBe(4000);
    expect(config.START_FRONTEND).toBe(true);
  });

  it('lists every bad setting at once, with what it expects', () => {
    let error: unknown;
    try {
      loadLauncherConfig({ DATABASE_URL: 'localhost/db', API_PORT: 'eighty', ADMIN_PASSWORD: 'short' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems } = error as ConfigError;
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/DATABASE_URL: expected a PostgreSQL URL/);
    expect(problems.join('\n')).toMatch(/API_PORT:/);
    expect(problems.join('\n')).toMatch(/ADMIN_PASSWORD:.*\*\*\*/);
  });
});

describe('empty launcher settings', () => {
  it('treats an empty setting as unset, so an .env copied from .env.example still starts', () => {
    const config = loadLauncherConfig({ ADMIN_EMAIL: '', ADMIN_PASSWORD: '', DATABASE_URL: '' });
    expect(config.ADMIN_EMAIL).toBe('admin@foreman.local');
    expect(config.ADMIN_PASSWORD).toBeUndefined();
    expect(config.DATABASE_URL).toBeUndefined();
  });
});

describe('the data directory', () => {
  it('is absolute, so PostgreSQL and the leftover checks see the same path whatever the working directory', () => {
    expect(loadLauncherConfig({ DATA_DIR: 'my-data' }).DATA_DIR).toBe(resolve('my-data'));
  });
});

describe("the site's RabbitMQ management and adminer links", () => {
  const links = (settings: Record<string, string>) => siteLinks(loadLauncherConfig(settings));

  it('are empty (the site shows none) unless given, as the launcher runs neither', () => {
    expect(links({})).toEqual({ RABBITMQ_MANAGEMENT_URL: '', ADMINER_URL: '' });
    expect(links({ AMQP_URL: 'amqp://127.0.0.1:5672' }).RABBITMQ_MANAGEMENT_URL).toBe('');
  });

  it('keep a management URL only with the broker it belongs to, and any adminer given', () => {
    const given = { RABBITMQ_MANAGEMENT_URL: 'http://127.0.0.1:15672', ADMINER_URL: 'http://127.0.0.1:8080' };
    expect(links({ ...given, AMQP_URL: 'amqp://127.0.0.1:5672' })).toEqual(given);
    // In-process events: there is no broker to manage.
    expect(links(given)).toEqual({ RABBITMQ_MANAGEMENT_URL: '', ADMINER_URL: given.ADMINER_URL });
  });
});

import { resolve } from 'node:path';
import { ConfigError } from '@foreman/contracts';
import { loadLauncherConfig } from '../src/config/env';

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

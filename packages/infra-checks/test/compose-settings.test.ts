import { readFileSync } from 'node:fs';
import { ConfigError } from '@foreman/contracts';
import {
  COMPOSE_FILE,
  ENV_EXAMPLE_FILE,
  documentedSettings,
  interpolatedVariables,
  loadCompose,
} from '../src/compose';
import {
  MIGRATE_SETTINGS,
  backendSettings,
  frontendSettings,
  type AppSettings,
  type BackendApp,
} from '../src/app-settings';
import { productionEnv } from './production-env';

const backends: BackendApp[] = ['api', 'trainer', 'scheduler'];
const apps: Record<string, AppSettings> = {
  ...Object.fromEntries(backends.map((app) => [app, backendSettings(app)])),
  frontend: frontendSettings(),
  migrate: MIGRATE_SETTINGS,
};

describe('the settings compose gives each service', () => {
  const { services } = loadCompose(productionEnv());

  it.each(Object.keys(apps))('%s gets every setting its app requires, and only settings it reads', (name) => {
    const settings = apps[name]!;
    const environment = services[name]!.environment ?? {};
    expect(settings.names.length).toBeGreaterThan(0);
    expect(settings.required.filter((setting) => !(setting in environment))).toEqual([]);
    const read = [...settings.names, ...(name === 'frontend' ? frontendSettings().server : [])];
    expect(Object.keys(environment).filter((setting) => !read.includes(setting))).toEqual([]);
  });

  it.each(backends)('%s accepts the compose environment in production mode', (app) => {
    const environment = services[app]!.environment!;
    expect(environment.NODE_ENV).toBe('production');
    expect(() => apps[app]!.load!(environment)).not.toThrow();
  });

  it.each(backends)('%s refuses to start in production with default passwords', (app) => {
    const weak = loadCompose(productionEnv({ POSTGRES_PASSWORD: 'postgres', RABBITMQ_PASSWORD: 'guest' }));
    let error: unknown;
    try {
      apps[app]!.load!(weak.services[app]!.environment!);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('DATABASE_URL: must not use a well-known default password in production');
    expect(problems).toContain('AMQP_URL: must not use a well-known default password in production');
    expect(problems).not.toContain('guest:guest');
  });

  it('gives the migrate step the same database as the services', () => {
    for (const app of backends) {
      expect(services[app]!.environment!.DATABASE_URL).toBe(services.migrate!.environment!.DATABASE_URL);
    }
  });
});

describe('.env.example', () => {
  const documented = documentedSettings(readFileSync(ENV_EXAMPLE_FILE, 'utf8'));

  it.each(Object.keys(apps))('documents every setting %s reads', (name) => {
    expect(apps[name]!.names.filter((setting) => !documented.has(setting))).toEqual([]);
  });

  it('documents every variable the compose file reads from .env', () => {
    const variables = [...interpolatedVariables(readFileSync(COMPOSE_FILE, 'utf8'))];
    expect(variables).toContain('POSTGRES_PASSWORD');
    expect(variables.filter((variable) => !documented.has(variable))).toEqual([]);
  });

  it('leaves the compose secrets empty, so nobody deploys an example password', () => {
    const text = readFileSync(ENV_EXAMPLE_FILE, 'utf8');
    for (const secret of ['POSTGRES_PASSWORD', 'RABBITMQ_PASSWORD']) {
      expect(text).toMatch(new RegExp(`^${secret}=$`, 'm'));
    }
  });
});

import { z } from 'zod';
import {
  ConfigError,
  amqpUrlSchema,
  nodeEnvSchema,
  parseConfig,
  postgresUrlSchema,
  refuseDefaultSecretsInProduction,
} from '../src';

const schema = refuseDefaultSecretsInProduction(
  z.object({
    NODE_ENV: nodeEnvSchema,
    DATABASE_URL: postgresUrlSchema,
    AMQP_URL: amqpUrlSchema,
    ADMIN_PASSWORD: z.string().optional(),
    PORT: z.coerce.number().default(4000),
  }),
);

function problemsOf(source: Record<string, string>): string[] {
  try {
    parseConfig(schema, source);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

const strong = {
  DATABASE_URL: 'postgres://foreman:Xk3v9-Qw2p7Lm4@db:5432/foreman',
  AMQP_URL: 'amqp://foreman:Hz8s2-Rt5y1Nb6@rabbitmq:5672',
  ADMIN_PASSWORD: 'a long admin passphrase',
};

describe('refusing default secrets in production', () => {
  it('starts in production with real passwords', () => {
    expect(problemsOf({ NODE_ENV: 'production', ...strong })).toEqual([]);
  });

  it('refuses URLs without a password or with a well-known one, naming each setting and hiding values', () => {
    const problems = problemsOf({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://postgres@db:5432/foreman',
      AMQP_URL: 'amqp://guest:guest@rabbitmq:5672',
    });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^DATABASE_URL: needs a password in production/);
    expect(problems[1]).toMatch(/^AMQP_URL: must not use a well-known default password in production/);
    expect(problems.join('\n')).not.toContain('guest:guest');
  });

  it.each(['postgres', 'password', 'PASSWORD', 'changeme'])('refuses the URL password %j', (password) => {
    const problems = problemsOf({
      ...strong,
      NODE_ENV: 'production',
      DATABASE_URL: `postgres://app:${password}@db/x`,
    });
    expect(problems).toEqual([
      expect.stringMatching(/^DATABASE_URL: must not use a well-known default password/),
    ]);
  });

  it('refuses an empty or well-known *_PASSWORD setting, shown as ***', () => {
    expect(problemsOf({ NODE_ENV: 'production', ...strong, ADMIN_PASSWORD: '' })).toEqual([
      'ADMIN_PASSWORD: must not be empty in production (got "***")',
    ]);
    expect(problemsOf({ NODE_ENV: 'production', ...strong, ADMIN_PASSWORD: 'admin' })).toEqual([
      'ADMIN_PASSWORD: must not be a well-known default in production (got "***")',
    ]);
  });

  it('lists secret problems together with every other bad setting', () => {
    const problems = problemsOf({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://postgres:postgres@db/x',
      AMQP_URL: 'not a url',
      PORT: 'eighty',
    });
    expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual([
      'AMQP_URL',
      'DATABASE_URL',
      'PORT',
    ]);
  });

  it('keeps the local defaults working outside production', () => {
    const local = {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/foreman',
      AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
    };
    expect(problemsOf(local)).toEqual([]);
    expect(problemsOf({ ...local, NODE_ENV: 'development' })).toEqual([]);
    expect(problemsOf({ ...local, NODE_ENV: 'test' })).toEqual([]);
  });
});

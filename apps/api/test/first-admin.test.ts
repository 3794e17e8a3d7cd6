import request from 'supertest';
import { DataSource } from 'typeorm';
import { ConfigError } from '@foreman/contracts';
import { createApiApp } from '../src/bootstrap';
import { loadApiConfig, type ApiConfig } from '../src/config/env';
import { startTestApi, type TestApi } from './test-app';

const ADMIN_EMAIL = 'Boss@Example.org';
const ADMIN_PASSWORD = 'first admin passphrase';

/** A second API process on the same database, with other settings (as after a restart). */
async function restart(config: ApiConfig) {
  const app = await createApiApp(config);
  await app.init();
  return app;
}

describe('the first admin, from ADMIN_EMAIL / ADMIN_PASSWORD', () => {
  let api: TestApi;
  const signIn = (app: TestApi['app'], password: string) =>
    request(app.getHttpServer()).post('/auth/sign-in').send({ email: ADMIN_EMAIL, password });

  beforeAll(async () => {
    api = await startTestApi({ ADMIN_EMAIL, ADMIN_PASSWORD });
  });

  afterAll(async () => {
    await api?.close();
  });

  it('is created on start and can sign in as an admin', async () => {
    const response = await signIn(api.app, ADMIN_PASSWORD).expect(200);
    expect(response.body.user).toMatchObject({ email: 'boss@example.org', role: 'admin', active: true });
  });

  it('is never overwritten: a restart with another password leaves the account as it is', async () => {
    const again = await restart({ ...api.config, ADMIN_PASSWORD: 'another passphrase entirely' });
    try {
      await signIn(again, ADMIN_PASSWORD).expect(200);
      await signIn(again, 'another passphrase entirely').expect(401);
      const users = await again
        .get(DataSource)
        .query(`SELECT role FROM users WHERE lower(email) = 'boss@example.org'`);
      expect(users).toEqual([{ role: 'admin' }]);
    } finally {
      await again.close();
    }
  });
});

describe('starting without an admin', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi(); // development: starts, and warns that there is no admin yet
  });

  afterAll(async () => {
    await api?.close();
  });

  it('refuses to start in production when there is no admin and no ADMIN_* settings', async () => {
    const app = await createApiApp({ ...api.config, NODE_ENV: 'production' });
    await expect(app.init()).rejects.toThrow(
      'there is no active admin account: set ADMIN_EMAIL (an email no account uses yet) and ADMIN_PASSWORD to create one',
    );
    await app.close().catch(() => undefined);
  });

  it('leaves an existing account named by ADMIN_EMAIL as it is, and still refuses in production', async () => {
    const db = api.app.get(DataSource);
    await db.query(
      `INSERT INTO users (email, display_name, role, password_hash) VALUES ('lab@example.org', 'L', 'labeller', '!')`,
    );
    const app = await createApiApp({
      ...api.config,
      NODE_ENV: 'production',
      ADMIN_EMAIL: 'lab@example.org',
      ADMIN_PASSWORD: 'tq8-Vw2e-Lp9z-Rm4k',
    });
    await expect(app.init()).rejects.toThrow('there is no active admin account');
    await app.close().catch(() => undefined);
    expect(await db.query(`SELECT role, password_hash FROM users WHERE email = 'lab@example.org'`)).toEqual([
      { role: 'labeller', password_hash: '!' },
    ]);
  });

  it('starts in production once an active admin exists', async () => {
    await api.app
      .get(DataSource)
      .query(
        `INSERT INTO users (email, display_name, role, password_hash) VALUES ('a@example.org', 'A', 'admin', '!')`,
      );
    const app = await restart({ ...api.config, NODE_ENV: 'production' });
    await app.close();
  });
});

describe('admin settings', () => {
  const base = {
    DATABASE_URL: 'postgres://foreman:k7Qp2vX9mL4rT8wZ@db:5432/foreman',
    AMQP_URL: 'amqp://foreman:Hn3sV8qR2pW6yK1c@mq:5672',
  };
  const problems = (env: Record<string, string>) => {
    try {
      loadApiConfig({ ...base, ...env });
      return [];
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return error.problems;
    }
  };

  it('accepts a long random password in production', () => {
    expect(
      problems({
        NODE_ENV: 'production',
        ADMIN_EMAIL: 'ops@example.org',
        ADMIN_PASSWORD: 'tq8-Vw2e-Lp9z-Rm4k',
      }),
    ).toEqual([]);
  });

  it.each(['password1234', 'changeme2024!', 'aaaaaaaaaaaaaaaa', '123456789012', 'ops@example.org-2024'])(
    'refuses the guessable password %j in production',
    (password) => {
      expect(
        problems({ NODE_ENV: 'production', ADMIN_EMAIL: 'ops@example.org', ADMIN_PASSWORD: password }),
      ).toEqual([
        expect.stringMatching(/^ADMIN_PASSWORD: too easy to guess for production.*\(got "\*\*\*"\)$/),
      ]);
    },
  );

  it('needs 12 characters everywhere, and both settings together', () => {
    expect(problems({ ADMIN_EMAIL: 'ops@example.org', ADMIN_PASSWORD: 'short' })).toEqual([
      expect.stringContaining('ADMIN_PASSWORD: expected a password of at least 12 characters'),
    ]);
    expect(problems({ ADMIN_EMAIL: 'ops@example.org' })).toEqual([
      expect.stringContaining('ADMIN_PASSWORD: set ADMIN_EMAIL and ADMIN_PASSWORD together'),
    ]);
    // An empty value, as in a copied .env.example, means "not set".
    expect(problems({ ADMIN_EMAIL: '', ADMIN_PASSWORD: '' })).toEqual([]);
  });
});

import request from 'supertest';
import { DataSource } from 'typeorm';
import { createAccount, createAdmin, PASSWORD, sessionCookieFrom } from './accounts-fixtures';
import { createUserWithSession, type TestUser } from './fixtures';
import { startTestApi, type TestApi } from './test-app';

describe('accounts (admin)', () => {
  let api: TestApi;
  let admin: TestUser;
  let labeller: TestUser;
  const http = () => request(api.app.getHttpServer());
  const signIn = (email: string, password: string) => http().post('/auth/sign-in').send({ email, password });

  beforeAll(async () => {
    api = await startTestApi();
    admin = await createAdmin(api);
    labeller = await createUserWithSession(api, { role: 'labeller' });
  });

  afterAll(async () => {
    await api?.close();
  });

  it('creates a labeller who can sign in, and never shows a password hash', async () => {
    const response = await http()
      .post('/users')
      .set('Cookie', admin.cookie)
      .send({ email: 'Ada@Example.org', displayName: ' Ada ', password: PASSWORD })
      .expect(201);
    expect(response.body).toEqual({
      id: expect.any(String),
      email: 'ada@example.org',
      displayName: 'Ada',
      role: 'labeller',
      active: true,
      createdAt: expect.any(String),
    });

    const list = await http().get('/users').set('Cookie', admin.cookie).expect(200);
    expect(list.body).toContainEqual(response.body);
    expect(JSON.stringify(list.body)).not.toMatch(/argon2|password/i);

    await signIn('ada@example.org', PASSWORD).expect(200);
    const [row] = await api.app
      .get(DataSource)
      .query(`SELECT password_hash FROM users WHERE id = $1`, [response.body.id]);
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('refuses a taken email (ignoring case) with 409, and a bad body with 400 naming the field', async () => {
    const account = await createAccount(api, admin);
    const taken = await http()
      .post('/users')
      .set('Cookie', admin.cookie)
      .send({ email: account.email.toUpperCase(), displayName: 'Twin', password: PASSWORD })
      .expect(409);
    expect(taken.body.message).toContain('already exists');

    const short = await http()
      .post('/users')
      .set('Cookie', admin.cookie)
      .send({ email: 'bo@example.org', displayName: 'Bo', password: 'short', role: 'owner' })
      .expect(400);
    expect(short.body.message).toContain('password: passwords need at least 12 characters');
    expect(short.body.details.map((issue: { field: string }) => issue.field).sort()).toEqual([
      'password',
      'role',
    ]);
    const [{ count }] = await api.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS count FROM users WHERE email = 'bo@example.org'`);
    expect(count).toBe(0);
  });

  it('creates admins too', async () => {
    const account = await createAccount(api, admin, { role: 'admin' });
    const signedIn = await signIn(account.email, account.password).expect(200);
    await http().get('/users').set('Cookie', sessionCookieFrom(signedIn)).expect(200);
  });

  it('changes the display name', async () => {
    const account = await createAccount(api, admin);
    const response = await http()
      .patch(`/users/${account.id}`)
      .set('Cookie', admin.cookie)
      .send({ displayName: 'Grace' })
      .expect(200);
    expect(response.body).toEqual({ ...account.user, displayName: 'Grace' });
  });

  it("sets a new password: the old one stops working and the user's sessions end", async () => {
    const account = await createAccount(api, admin);
    const session = sessionCookieFrom(await signIn(account.email, account.password).expect(200));

    await http()
      .patch(`/users/${account.id}`)
      .set('Cookie', admin.cookie)
      .send({ password: 'a brand new passphrase' })
      .expect(200);

    await http().get('/auth/me').set('Cookie', session).expect(401);
    await signIn(account.email, account.password).expect(401);
    await signIn(account.email, 'a brand new passphrase').expect(200);
  });

  it('deactivating ends sessions and API tokens and releases leases; reactivating lets the user back in', async () => {
    const account = await createAccount(api, admin);
    const session = sessionCookieFrom(await signIn(account.email, account.password).expect(200));
    const token = await http()
      .post('/api-tokens')
      .set('Cookie', admin.cookie)
      .send({ name: 'script', userId: account.id })
      .expect(201);
    const bearer = `Bearer ${token.body.token}`;
    await http().get('/auth/me').set('Authorization', bearer).expect(200);

    const db = api.app.get(DataSource);
    const [project] = await db.query(
      `INSERT INTO projects (name, classes, input_kind) VALUES ('p', '{a,b}', 'text') RETURNING id`,
    );
    const [item] = await db.query(
      `INSERT INTO items (project_id, external_id, payload, remaining_labels) VALUES ($1, 'x', '{}', 1) RETURNING id`,
      [project.id],
    );
    await db.query(
      `INSERT INTO leases (project_id, item_id, labeller_id, expires_at) VALUES ($1, $2, $3, now() + interval '10 minutes')`,
      [project.id, item.id, account.id],
    );

    const response = await http()
      .patch(`/users/${account.id}`)
      .set('Cookie', admin.cookie)
      .send({ active: false })
      .expect(200);
    expect(response.body.active).toBe(false);

    await http().get('/auth/me').set('Cookie', session).expect(401);
    const refused = await http().get('/auth/me').set('Authorization', bearer).expect(401);
    // A script's owner is told why, unlike for a token that does not exist.
    expect(refused.body).toMatchObject({
      message: "the API token's account is deactivated; an admin can reactivate it on the Users page",
      reason: 'account-deactivated',
    });
    const unknown = await http().get('/auth/me').set('Authorization', 'Bearer not-a-token').expect(401);
    expect(unknown.body.message).toBe('the API token is unknown, expired or revoked');
    const leases = await db.query(`SELECT 1 FROM leases WHERE labeller_id = $1`, [account.id]);
    expect(leases).toHaveLength(0);

    await http().patch(`/users/${account.id}`).set('Cookie', admin.cookie).send({ active: true }).expect(200);
    await signIn(account.email, account.password).expect(200);
    // The token was only suspended with its user; revoking is a separate, explicit act.
    await http().get('/auth/me').set('Authorization', bearer).expect(200);
  });

  it('will not let an admin deactivate themselves', async () => {
    const response = await http()
      .patch(`/users/${admin.id}`)
      .set('Cookie', admin.cookie)
      .send({ active: false })
      .expect(409);
    expect(response.body.message).toBe('you cannot deactivate your own account');
  });

  it('answers 404 for an unknown user and 400 for a malformed id or unknown field', async () => {
    await http()
      .patch('/users/00000000-0000-4000-8000-000000000000')
      .set('Cookie', admin.cookie)
      .send({ displayName: 'Nobody' })
      .expect(404);
    await http().patch('/users/42').set('Cookie', admin.cookie).send({ displayName: 'Nobody' }).expect(400);
    const unknown = await http()
      .patch(`/users/${labeller.id}`)
      .set('Cookie', admin.cookie)
      .send({ role: 'admin' })
      .expect(400);
    expect(unknown.body.message).toContain('role');
  });

  it('gives labellers 403 on every admin endpoint', async () => {
    const forbidden = [
      http().get('/users'),
      http().post('/users').send({ email: 'x@example.org', displayName: 'X', password: PASSWORD }),
      http().patch(`/users/${labeller.id}`).send({ displayName: 'Me' }),
      http().get('/api-tokens'),
      http().post('/api-tokens').send({ name: 'mine' }),
      http().delete('/api-tokens/00000000-0000-4000-8000-000000000000'),
    ];
    for (const call of forbidden) {
      const response = await call.set('Cookie', labeller.cookie);
      expect(response.status).toBe(403);
      expect(response.body).toEqual({
        statusCode: 403,
        error: 'Forbidden',
        message: 'this needs the admin role',
      });
    }
  });
});

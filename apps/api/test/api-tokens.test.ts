import { createHash } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createAdmin } from './accounts-fixtures';
import { createUserWithSession, type TestUser } from './fixtures';
import { startTestApi, type TestApi } from './test-app';

describe('API tokens (admin)', () => {
  let api: TestApi;
  let admin: TestUser;
  let labeller: TestUser;
  const http = () => request(api.app.getHttpServer());

  beforeAll(async () => {
    api = await startTestApi();
    admin = await createAdmin(api);
    labeller = await createUserWithSession(api, { role: 'labeller' });
  });

  afterAll(async () => {
    await api?.close();
  });

  it('creates a token shown once, stores only its hash, and lets a script act as its user', async () => {
    const created = await http()
      .post('/api-tokens')
      .set('Cookie', admin.cookie)
      .send({ name: 'nightly export', userId: labeller.id })
      .expect(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      name: 'nightly export',
      userId: labeller.id,
      createdAt: expect.any(String),
      expiresAt: null,
      revokedAt: null,
      token: expect.stringMatching(/^foreman_[\w-]{40,}$/),
    });
    const token: string = created.body.token;

    const [row] = await api.app
      .get(DataSource)
      .query(`SELECT row_to_json(t)::text AS json, token_hash FROM api_tokens t WHERE id = $1`, [
        created.body.id,
      ]);
    expect(row.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(row.json).not.toContain(token);

    const list = await http().get('/api-tokens').set('Cookie', admin.cookie).expect(200);
    const { token: _shownOnce, ...listed } = created.body;
    expect(list.body).toContainEqual(listed);
    expect(JSON.stringify(list.body)).not.toContain(token);

    const me = await http().get('/auth/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(me.body.user.id).toBe(labeller.id);
  });

  it('acts as the creating admin by default and honours an expiry', async () => {
    const created = await http()
      .post('/api-tokens')
      .set('Cookie', admin.cookie)
      .send({ name: 'short-lived', expiresInDays: 7 })
      .expect(201);
    expect(created.body.userId).toBe(admin.id);
    const days = (Date.parse(created.body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThan(7.01);
    const bearer = `Bearer ${created.body.token}`;
    await http().get('/users').set('Authorization', bearer).expect(200);

    await api.app
      .get(DataSource)
      .query(`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [
        created.body.id,
      ]);
    const expired = await http().get('/users').set('Authorization', bearer).expect(401);
    expect(expired.body.message).toBe('the API token is unknown, expired or revoked');
  });

  it('revokes a token: it stops working at once; revoking again is harmless', async () => {
    const created = await http()
      .post('/api-tokens')
      .set('Cookie', admin.cookie)
      .send({ name: 'to revoke', userId: labeller.id })
      .expect(201);
    const bearer = `Bearer ${created.body.token}`;
    await http().get('/auth/me').set('Authorization', bearer).expect(200);

    await http().delete(`/api-tokens/${created.body.id}`).set('Cookie', admin.cookie).expect(204);
    await http().get('/auth/me').set('Authorization', bearer).expect(401);
    await http().delete(`/api-tokens/${created.body.id}`).set('Cookie', admin.cookie).expect(204);

    const list = await http().get('/api-tokens').set('Cookie', admin.cookie).expect(200);
    const listed = list.body.find((token: { id: string }) => token.id === created.body.id);
    expect(listed.revokedAt).toEqual(expect.any(String));
  });

  it('answers 404 for an unknown token or user, and 400 naming a bad field', async () => {
    await http()
      .delete('/api-tokens/00000000-0000-4000-8000-000000000000')
      .set('Cookie', admin.cookie)
      .expect(404);
    await http()
      .post('/api-tokens')
      .set('Cookie', admin.cookie)
      .send({ name: 'orphan', userId: '00000000-0000-4000-8000-000000000000' })
      .expect(404);
    const bad = await http()
      .post('/api-tokens')
      .set('Cookie', admin.cookie)
      .send({ name: '', expiresInDays: 0 })
      .expect(400);
    expect(bad.body.details.map((issue: { field: string }) => issue.field).sort()).toEqual([
      'expiresInDays',
      'name',
    ]);
  });

  it('rejects a malformed Authorization header', async () => {
    const response = await http().get('/auth/me').set('Authorization', 'Token abc').expect(401);
    expect(response.body.message).toBe('the Authorization header must be "Bearer <API token>"');
  });
});

// The module object the API calls into, so a spy sees the API's own calls.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import argon2 = require('@node-rs/argon2');
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createAccount, createAdmin, sessionCookieFrom } from './accounts-fixtures';
import type { TestUser } from './fixtures';
import { startTestApi, type TestApi } from './test-app';

describe('sign-in, sessions and sign-out', () => {
  let api: TestApi;
  let admin: TestUser;
  const http = () => request(api.app.getHttpServer());

  beforeAll(async () => {
    api = await startTestApi({ SESSION_TTL_HOURS: '8' });
    admin = await createAdmin(api);
  });

  afterAll(async () => {
    await api?.close();
  });

  it('signs in with email and password and sets an httpOnly, SameSite=Lax, Secure session cookie', async () => {
    const account = await createAccount(api, admin);
    const response = await http()
      .post('/auth/sign-in')
      .send({ email: account.email.toUpperCase(), password: account.password })
      .expect(200);

    expect(response.body).toEqual({ user: account.user });
    const setCookie = String(response.headers['set-cookie']);
    expect(setCookie).toMatch(/^foreman_session=[\w-]{40,};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    expect(setCookie).toContain('Secure');
    const expires = Date.parse(/Expires=([^;]+)/.exec(setCookie)![1]!);
    expect(Math.abs(expires - (Date.now() + 8 * 3600_000))).toBeLessThan(60_000);

    const me = await http().get('/auth/me').set('Cookie', sessionCookieFrom(response)).expect(200);
    expect(me.body).toEqual({ user: account.user });
  });

  it('answers a wrong password and an unknown email alike, after the same password-hashing work', async () => {
    const user = await createAccount(api, admin);
    const verify = jest.spyOn(argon2, 'verify');
    try {
      const attempt = async (email: string) => {
        verify.mockClear();
        const response = await http().post('/auth/sign-in').send({ email, password: 'not the password' });
        // One argon2 verification against a real argon2id hash either way, so the time tells nothing.
        expect(verify).toHaveBeenCalledTimes(1);
        expect(verify.mock.calls[0]![0]).toMatch(/^\$argon2id\$/);
        await verify.mock.results[0]!.value;
        return response;
      };
      for (const response of [await attempt(user.email), await attempt('nobody@example.org')]) {
        expect(response.status).toBe(401);
        expect(response.body).toEqual({
          statusCode: 401,
          error: 'Unauthorized',
          message: 'wrong email or password',
        });
        expect(response.headers['set-cookie']).toBeUndefined();
      }
    } finally {
      verify.mockRestore();
    }
  });

  it('signs out: 204, the cookie is cleared and the session no longer works', async () => {
    const user = await createAccount(api, admin);
    const signIn = await http().post('/auth/sign-in').send({ email: user.email, password: user.password });
    const cookie = sessionCookieFrom(signIn);

    const signOut = await http().post('/auth/sign-out').set('Cookie', cookie).expect(204);
    expect(String(signOut.headers['set-cookie'])).toMatch(/^foreman_session=;.*Expires=Thu, 01 Jan 1970/);

    const me = await http().get('/auth/me').set('Cookie', cookie).expect(401);
    expect(me.body.message).toBe('your session has expired; sign in again');
    const db = api.app.get(DataSource);
    const [session] = await db.query(`SELECT revoked_at FROM sessions WHERE user_id = $1`, [user.id]);
    expect(session.revoked_at).toBeInstanceOf(Date);
    // Signing out again (or without a session) is harmless.
    await http().post('/auth/sign-out').set('Cookie', cookie).expect(204);
  });

  it('refuses a change another site asks for with the session (Fetch Metadata), not one from the site itself', async () => {
    const user = await createAccount(api, admin);
    const signIn = await http().post('/auth/sign-in').send({ email: user.email, password: user.password });
    const cookie = sessionCookieFrom(signIn);

    // A form on another port of the same host, or on a sibling subdomain: its browser says same-site.
    for (const site of ['same-site', 'cross-site']) {
      const refused = await http()
        .post('/auth/sign-out')
        .set('Cookie', cookie)
        .set('Sec-Fetch-Site', site)
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .send('x=1')
        .expect(403);
      expect(refused.body.message).toBe(
        `a request from another site (Sec-Fetch-Site: ${site}) cannot change anything here; use this site's own pages, or an API token`,
      );
    }
    await http().get('/auth/me').set('Cookie', cookie).set('Sec-Fetch-Site', 'cross-site').expect(200);
    // (a script's API token is no ambient credential: its requests are judged by the token alone)
    await http()
      .post('/projects')
      .set('Authorization', 'Bearer unknown')
      .set('Sec-Fetch-Site', 'cross-site')
      .expect(401);
    await http()
      .post('/auth/sign-out')
      .set('Cookie', cookie)
      .set('Sec-Fetch-Site', 'same-origin')
      .expect(204);
    await http().get('/auth/me').set('Cookie', cookie).expect(401);
  });

  it('rejects an expired session', async () => {
    const user = await createAccount(api, admin);
    const signIn = await http().post('/auth/sign-in').send({ email: user.email, password: user.password });
    const cookie = sessionCookieFrom(signIn);
    await http().get('/auth/me').set('Cookie', cookie).expect(200);

    await api.app
      .get(DataSource)
      .query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [user.id]);

    const me = await http().get('/auth/me').set('Cookie', cookie).expect(401);
    expect(me.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'your session has expired; sign in again',
    });
  });

  it('keeps deactivated users out: their sessions end and they cannot sign in', async () => {
    const user = await createAccount(api, admin);
    const signIn = await http().post('/auth/sign-in').send({ email: user.email, password: user.password });
    const cookie = sessionCookieFrom(signIn);

    await http().patch(`/users/${user.id}`).set('Cookie', admin.cookie).send({ active: false }).expect(200);

    // The next request from the user's browser says why the session ended, and who can undo it; a route
    // that looks up its project with the session (one statement) says the same.
    const deactivated = {
      message: 'your account has been deactivated; an admin can reactivate it on the Users page',
      reason: 'account-deactivated',
    };
    const refused = await http().get('/auth/me').set('Cookie', cookie).expect(401);
    expect(refused.body).toEqual({ statusCode: 401, error: 'Unauthorized', ...deactivated });
    const next = await http()
      .post('/projects/00000000-0000-4000-8000-000000000000/next')
      .set('Cookie', cookie)
      .expect(401);
    expect(next.body).toMatchObject(deactivated);
    const again = await http()
      .post('/auth/sign-in')
      .send({ email: user.email, password: user.password })
      .expect(403);
    expect(again.body).toMatchObject(deactivated);
    expect(again.headers['set-cookie']).toBeUndefined();
    // Only someone who knows the password learns that the account exists.
    const guess = await http().post('/auth/sign-in').send({ email: user.email, password: 'a wrong guess' });
    expect(guess.status).toBe(401);
    expect(guess.body.message).toBe('wrong email or password');

    await http().patch(`/users/${user.id}`).set('Cookie', admin.cookie).send({ active: true }).expect(200);
    // Reactivating does not bring the ended session back; it is only expired now.
    const ended = await http().get('/auth/me').set('Cookie', cookie).expect(401);
    expect(ended.body.message).toBe('your session has expired; sign in again');
    await http().post('/auth/sign-in').send({ email: user.email, password: user.password }).expect(200);
  });

  it('lets users change their own password with the current one; their other sessions end', async () => {
    const user = await createAccount(api, admin);
    const signInWith = (password: string) =>
      http().post('/auth/sign-in').send({ email: user.email, password });
    const here = sessionCookieFrom(await signInWith(user.password).expect(200));
    const elsewhere = sessionCookieFrom(await signInWith(user.password).expect(200));

    const wrong = await http()
      .post('/auth/password')
      .set('Cookie', here)
      .send({ currentPassword: 'not my password', newPassword: 'my own new passphrase' })
      .expect(400);
    expect(wrong.body.details).toEqual([
      { field: 'currentPassword', message: 'this is not your current password' },
    ]);
    await signInWith('my own new passphrase').expect(401);

    await http()
      .post('/auth/password')
      .set('Cookie', here)
      .send({ currentPassword: user.password, newPassword: 'my own new passphrase' })
      .expect(204);
    await http().get('/auth/me').set('Cookie', here).expect(200);
    await http().get('/auth/me').set('Cookie', elsewhere).expect(401);
    await signInWith(user.password).expect(401);
    await signInWith('my own new passphrase').expect(200);
  });

  it('asks for sign-in on /auth/me without a session, and names a malformed body field', async () => {
    const anonymous = await http().get('/auth/me').expect(401);
    expect(anonymous.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'sign in first' });

    const bad = await http().post('/auth/sign-in').send({ email: 'not-an-email', password: '' }).expect(400);
    expect(bad.body.details.map((issue: { field: string }) => issue.field).sort()).toEqual([
      'email',
      'password',
    ]);
  });

  it('throttles sign-in after repeated failures with 429 in the one error shape, per email', async () => {
    const user = await createAccount(api, admin);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await http()
        .post('/auth/sign-in')
        .send({ email: user.email, password: `guess ${attempt}` })
        .expect(401);
    }
    const throttled = await http().post('/auth/sign-in').send({ email: user.email, password: user.password });
    expect(throttled.status).toBe(429);
    expect(throttled.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: expect.stringMatching(/^too many sign-in attempts; try again in \d+ seconds$/),
    });
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    expect(throttled.headers['set-cookie']).toBeUndefined();

    // Another account from the same address is not locked out by it.
    const other = await createAccount(api, admin);
    await http().post('/auth/sign-in').send({ email: other.email, password: other.password }).expect(200);
  });
});

describe('session cookie without Secure', () => {
  it('leaves Secure off when COOKIE_SECURE=false (plain-HTTP set-ups)', async () => {
    const api = await startTestApi({ COOKIE_SECURE: 'false' });
    try {
      const admin = await createAdmin(api);
      const user = await createAccount(api, admin);
      const response = await request(api.app.getHttpServer())
        .post('/auth/sign-in')
        .send({ email: user.email, password: user.password })
        .expect(200);
      const setCookie = String(response.headers['set-cookie']);
      expect(setCookie).toContain('HttpOnly');
      expect(setCookie).not.toContain('Secure');
    } finally {
      await api.close();
    }
  });
});

describe('sign-in limits and X-Forwarded-For', () => {
  /** Five wrong passwords for `email` "from" `address`, then the right one from `nextFrom`: its status. */
  async function lockedOut(api: TestApi, email: string, password: string, address: string, nextFrom: string) {
    const signIn = (from: string, attempt: string) =>
      request(api.app.getHttpServer())
        .post('/auth/sign-in')
        .set('X-Forwarded-For', from)
        .send({ email, password: attempt });
    for (let attempt = 0; attempt < 5; attempt += 1) await signIn(address, `guess ${attempt}`).expect(401);
    return (await signIn(nextFrom, password)).status;
  }

  it('ignores the header by default: a client cannot slip past its limit by naming other addresses', async () => {
    const api = await startTestApi();
    try {
      const user = await createAccount(api, await createAdmin(api));
      expect(await lockedOut(api, user.email, user.password, '203.0.113.9', '198.51.100.7')).toBe(429);
    } finally {
      await api.close();
    }
  });

  it('counts each client by its address when the proxy is on this machine (TRUST_PROXY=loopback)', async () => {
    const api = await startTestApi({ TRUST_PROXY: 'loopback' });
    try {
      const user = await createAccount(api, await createAdmin(api));
      // The guesses came through the site from one person; another person signs in as usual.
      expect(await lockedOut(api, user.email, user.password, '203.0.113.9', '198.51.100.7')).toBe(200);
      expect(await lockedOut(api, user.email, user.password, '192.0.2.1', '192.0.2.1')).toBe(429);
    } finally {
      await api.close();
    }
  });
});

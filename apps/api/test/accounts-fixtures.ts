import request from 'supertest';
import type { User } from '@foreman/contracts';
import { createUserWithSession, type TestUser } from './fixtures';
import type { TestApi } from './test-app';

export const PASSWORD = 'correct horse battery staple';

/** An admin with a session, straight from the database (see createUserWithSession). */
export function createAdmin(api: TestApi): Promise<TestUser> {
  return createUserWithSession(api, { role: 'admin' });
}

/** A user created through POST /users, so they can sign in with `password`. */
export async function createAccount(
  api: TestApi,
  admin: TestUser,
  options: { role?: 'admin' | 'labeller'; password?: string; email?: string } = {},
): Promise<{ user: User; email: string; password: string; id: string }> {
  const password = options.password ?? PASSWORD;
  const email = options.email ?? `user-${Math.random().toString(36).slice(2)}@example.org`;
  const response = await request(api.app.getHttpServer())
    .post('/users')
    .set('Cookie', admin.cookie)
    .send({ email, displayName: `User ${email.slice(5, 10)}`, role: options.role ?? 'labeller', password })
    .expect(201);
  const user = response.body as User;
  return { user, email: user.email, id: user.id, password };
}

/** The `Cookie` header value from a sign-in answer's Set-Cookie. */
export function sessionCookieFrom(response: request.Response): string {
  const setCookie = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
  const session = setCookie.find((cookie) => cookie.startsWith('foreman_session='));
  if (!session) throw new Error(`no session cookie in ${JSON.stringify(setCookie)}`);
  return session.split(';')[0]!;
}

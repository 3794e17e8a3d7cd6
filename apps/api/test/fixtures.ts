import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Role } from '@foreman/contracts';
import { SESSION_COOKIE, hashSecretToken, newSecretToken } from '../src/modules/auth/secret-token';
import type { TestApi } from './test-app';

export interface TestUser {
  id: string;
  email: string;
  role: Role;
  /** `Cookie` header value of a live session for this user. */
  cookie: string;
}

/**
 * A user with a live session, written straight to the database so tests of other features do not
 * depend on the sign-in flow (which has its own tests). The password hash is a placeholder: this user
 * cannot sign in with a password.
 */
export async function createUserWithSession(
  api: TestApi,
  options: { role?: Role; displayName?: string; projectIds?: string[] } = {},
): Promise<TestUser> {
  const db = api.app.get(DataSource);
  const email = `${randomUUID()}@test.local`;
  const role = options.role ?? 'labeller';
  const [{ id }] = await db.query(
    `INSERT INTO users (email, display_name, role, password_hash) VALUES ($1, $2, $3, '!') RETURNING id`,
    [email, options.displayName ?? email.slice(0, 8), role],
  );
  for (const projectId of options.projectIds ?? []) {
    await db.query(`INSERT INTO project_members (project_id, user_id) VALUES ($1, $2)`, [projectId, id]);
  }
  const token = newSecretToken();
  await db.query(
    `INSERT INTO sessions (user_id, token_hash, expires_at) VALUES ($1, $2, now() + interval '1 day')`,
    [id, hashSecretToken(token)],
  );
  return { id, email, role, cookie: `${SESSION_COOKIE}=${token}` };
}

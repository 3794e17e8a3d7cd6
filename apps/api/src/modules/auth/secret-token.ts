import { createHash, randomBytes } from 'node:crypto';

/** Session cookie name; the cookie holds a random token, the database only its hash. */
export const SESSION_COOKIE = 'foreman_session';

/** A new random token for a session or an API token. */
export function newSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Tokens are 256 random bits, so a fast hash is enough (no dictionary to guard against); storing only
 * the hash means a database dump does not hand out live sessions.
 */
export function hashSecretToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

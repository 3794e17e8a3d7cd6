import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Role } from '@foreman/contracts';
import { queryNamed } from '@foreman/database';

export interface CredentialOwner {
  id: string;
  email: string;
  displayName: string;
  role: Role;
}

export type SessionOwner = CredentialOwner & { sessionId: string };

/** The active user behind a live (unexpired, unrevoked) session whose token hash is $1. */
export const SESSION_OWNER_SQL = `
  SELECT u.id, u.email, u.display_name AS "displayName", u.role, s.id AS "sessionId"
    FROM sessions s JOIN users u ON u.id = s.user_id
   WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.active`;

@Injectable()
export class AuthRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * SESSION_OWNER_SQL, by the hash of the session's token. Every request asks this, so it is a named
   * statement: planned once per connection.
   */
  async findSessionOwner(tokenHash: string): Promise<SessionOwner | null> {
    const rows = await queryNamed<SessionOwner>(this.db, 'session-owner', SESSION_OWNER_SQL, [tokenHash]);
    return rows[0] ?? null;
  }

  /** The active user behind a live API token, by the hash of the token. */
  async findApiTokenOwner(tokenHash: string): Promise<CredentialOwner | null> {
    const rows = await queryNamed<CredentialOwner>(
      this.db,
      'api-token-owner',
      `SELECT u.id, u.email, u.display_name AS "displayName", u.role
         FROM api_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = $1 AND t.revoked_at IS NULL
          AND (t.expires_at IS NULL OR t.expires_at > now()) AND u.active`,
      [tokenHash],
    );
    return rows[0] ?? null;
  }

  /** Whether a live API token with this hash belongs to a deactivated user (asked only after a refusal). */
  async isTokenOfDeactivatedUser(tokenHash: string): Promise<boolean> {
    const rows = (await this.db.query(
      `SELECT 1 FROM api_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = $1 AND t.revoked_at IS NULL
          AND (t.expires_at IS NULL OR t.expires_at > now()) AND NOT u.active`,
      [tokenHash],
    )) as unknown[];
    return rows.length > 0;
  }

  /**
   * Whether the session with this hash, ended or not, belongs to a deactivated user (asked only after a
   * refusal). Deactivating revokes the user's sessions but keeps the rows; they are cleared out only when
   * the user signs in again, which needs the account active.
   */
  async isSessionOfDeactivatedUser(tokenHash: string): Promise<boolean> {
    const rows = (await this.db.query(
      `SELECT 1 FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND NOT u.active`,
      [tokenHash],
    )) as unknown[];
    return rows.length > 0;
  }

  /**
   * A new session for the user, valid for `ttlHours`; the user's expired and revoked sessions are
   * cleared out at the same time so the table does not grow without end.
   */
  async createSession(userId: string, tokenHash: string, ttlHours: number): Promise<Date> {
    await this.db.query(
      `DELETE FROM sessions WHERE user_id = $1 AND (expires_at <= now() OR revoked_at IS NOT NULL)`,
      [userId],
    );
    const rows: { expiresAt: Date }[] = await this.db.query(
      `INSERT INTO sessions (user_id, token_hash, expires_at)
       VALUES ($1, $2, now() + make_interval(secs => $3::double precision * 3600))
       RETURNING expires_at AS "expiresAt"`,
      [userId, tokenHash, ttlHours],
    );
    return rows[0]!.expiresAt;
  }

  async revokeSession(tokenHash: string): Promise<void> {
    await this.db.query(
      `UPDATE sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL`,
      [tokenHash],
    );
  }
}

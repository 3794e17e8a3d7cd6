import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Role } from '@foreman/contracts';

export interface CredentialOwner {
  id: string;
  email: string;
  displayName: string;
  role: Role;
}

@Injectable()
export class AuthRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The active user behind a live (unexpired, unrevoked) session, by the hash of its token. */
  async findSessionOwner(tokenHash: string): Promise<CredentialOwner | null> {
    const rows: CredentialOwner[] = await this.db.query(
      `SELECT u.id, u.email, u.display_name AS "displayName", u.role
         FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.active`,
      [tokenHash],
    );
    return rows[0] ?? null;
  }

  /** The active user behind a live API token, by the hash of the token. */
  async findApiTokenOwner(tokenHash: string): Promise<CredentialOwner | null> {
    const rows: CredentialOwner[] = await this.db.query(
      `SELECT u.id, u.email, u.display_name AS "displayName", u.role
         FROM api_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = $1 AND t.revoked_at IS NULL
          AND (t.expires_at IS NULL OR t.expires_at > now()) AND u.active`,
      [tokenHash],
    );
    return rows[0] ?? null;
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export interface ApiTokenRow {
  id: string;
  name: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

export interface NewApiToken {
  name: string;
  userId: string;
  tokenHash: string;
  createdBy: string;
  expiresInDays: number | null;
}

const TOKEN_COLUMNS = `id, name, user_id AS "userId", created_at AS "createdAt", expires_at AS "expiresAt",
  revoked_at AS "revokedAt"`;

@Injectable()
export class ApiTokensRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  list(): Promise<ApiTokenRow[]> {
    return this.db.query(`SELECT ${TOKEN_COLUMNS} FROM api_tokens ORDER BY created_at DESC, id`);
  }

  /** The new token, or null when its user does not exist or is deactivated. */
  async create(token: NewApiToken): Promise<ApiTokenRow | null> {
    const rows: ApiTokenRow[] = await this.db.query(
      `INSERT INTO api_tokens (user_id, name, token_hash, created_by, expires_at)
       SELECT u.id, $2, $3, $4, now() + make_interval(days => $5::integer)
         FROM users u WHERE u.id = $1 AND u.active
       RETURNING ${TOKEN_COLUMNS}`,
      [token.userId, token.name, token.tokenHash, token.createdBy, token.expiresInDays],
    );
    return rows[0] ?? null;
  }

  /** Revokes the token (a second revoke keeps the first time); null when there is no such token. */
  async revoke(id: string): Promise<ApiTokenRow | null> {
    // TypeORM answers an UPDATE with [rows, affected count].
    const [rows]: [ApiTokenRow[], number] = await this.db.query(
      `UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING ${TOKEN_COLUMNS}`,
      [id],
    );
    return rows[0] ?? null;
  }
}

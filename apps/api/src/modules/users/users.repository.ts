import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Role } from '@foreman/contracts';

export interface UserRow {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  active: boolean;
  createdAt: Date;
}

export interface NewUser {
  email: string;
  displayName: string;
  role: Role;
  passwordHash: string;
}

export interface UserChanges {
  displayName?: string;
  active?: boolean;
  passwordHash?: string;
}

const USER_COLUMNS = `id, email, display_name AS "displayName", role, active, created_at AS "createdAt"`;

@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  list(): Promise<UserRow[]> {
    return this.db.query(`SELECT ${USER_COLUMNS} FROM users ORDER BY lower(email)`);
  }

  async findById(id: string): Promise<UserRow | null> {
    const rows: UserRow[] = await this.db.query(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async findByEmail(email: string): Promise<UserRow | null> {
    const rows: UserRow[] = await this.db.query(
      `SELECT ${USER_COLUMNS} FROM users WHERE lower(email) = lower($1)`,
      [email],
    );
    return rows[0] ?? null;
  }

  /** The account and its password hash, for sign-in only. */
  async findCredentials(email: string): Promise<(UserRow & { passwordHash: string }) | null> {
    const rows: (UserRow & { passwordHash: string })[] = await this.db.query(
      `SELECT ${USER_COLUMNS}, password_hash AS "passwordHash" FROM users WHERE lower(email) = lower($1)`,
      [email],
    );
    return rows[0] ?? null;
  }

  async hasActiveAdmin(): Promise<boolean> {
    const rows: { exists: boolean }[] = await this.db.query(
      `SELECT EXISTS (SELECT 1 FROM users WHERE role = 'admin' AND active) AS exists`,
    );
    return rows[0]?.exists ?? false;
  }

  /** The new user, or null when the email is taken (emails are unique ignoring case). */
  async create(user: NewUser): Promise<UserRow | null> {
    const rows: UserRow[] = await this.db.query(
      `INSERT INTO users (email, display_name, role, password_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT (lower(email)) DO NOTHING
       RETURNING ${USER_COLUMNS}`,
      [user.email, user.displayName, user.role, user.passwordHash],
    );
    return rows[0] ?? null;
  }

  /**
   * Applies the changes in one transaction. `endSessions` revokes the user's live sessions (all but
   * `keepSessionId`); a deactivated user's leases are released so their items go back to the queue.
   */
  async update(
    id: string,
    changes: UserChanges,
    endSessions: { keepSessionId?: string } | false,
  ): Promise<UserRow | null> {
    return this.db.transaction(async (manager) => {
      // TypeORM answers an UPDATE with [rows, affected count].
      const [rows]: [UserRow[], number] = await manager.query(
        `UPDATE users SET display_name = COALESCE($2, display_name),
                          active = COALESCE($3, active),
                          password_hash = COALESCE($4, password_hash)
          WHERE id = $1
          RETURNING ${USER_COLUMNS}`,
        [id, changes.displayName ?? null, changes.active ?? null, changes.passwordHash ?? null],
      );
      const user = rows[0];
      if (!user) return null;
      if (endSessions) {
        await manager.query(
          `UPDATE sessions SET revoked_at = now()
            WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now() AND id IS DISTINCT FROM $2::uuid`,
          [id, endSessions.keepSessionId ?? null],
        );
      }
      if (changes.active === false) {
        await manager.query(`DELETE FROM leases WHERE labeller_id = $1`, [id]);
      }
      return user;
    });
  }
}

import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { User, UpdateUserRequest, createUserRequestSchema } from '@foreman/contracts';
import type { z } from 'zod';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { PasswordHasher } from './password-hasher';
import { UsersRepository, type UserRow } from './users.repository';

export function toUser(row: UserRow): User {
  return { ...row, createdAt: row.createdAt.toISOString() };
}

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordHasher,
  ) {}

  async list(): Promise<User[]> {
    return (await this.users.list()).map(toUser);
  }

  async create(request: z.infer<typeof createUserRequestSchema>): Promise<User> {
    const created = await this.users.create({
      email: request.email.toLowerCase(),
      displayName: request.displayName,
      role: request.role,
      passwordHash: await this.passwords.hash(request.password),
    });
    if (!created) throw new ConflictException(`a user with email ${request.email} already exists`);
    return toUser(created);
  }

  /**
   * Deactivating ends the user's sessions (their API tokens stop working while they are inactive); a new
   * password ends every session but the caller's own, so a leaked one stops working.
   */
  async update(caller: AuthenticatedUser, id: string, changes: UpdateUserRequest): Promise<User> {
    if (id === caller.id && changes.active === false) {
      throw new ConflictException('you cannot deactivate your own account');
    }
    const passwordHash =
      changes.password === undefined ? undefined : await this.passwords.hash(changes.password);
    const endSessions =
      changes.active === false || passwordHash !== undefined ? { keepSessionId: caller.sessionId } : false;
    const updated = await this.users.update(
      id,
      { displayName: changes.displayName, active: changes.active, passwordHash },
      endSessions,
    );
    if (!updated) throw new NotFoundException(`user ${id} not found`);
    return toUser(updated);
  }
}

import { Injectable, NotFoundException } from '@nestjs/common';
import type { ApiToken, CreateApiTokenRequest, CreatedApiToken } from '@foreman/contracts';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { hashSecretToken, newSecretToken } from '../auth/secret-token';
import { ApiTokensRepository, type ApiTokenRow } from './api-tokens.repository';

/** A recognisable prefix lets secret scanners and people tell a Foreman token from other secrets. */
const TOKEN_PREFIX = 'foreman_';

function toApiToken(row: ApiTokenRow): ApiToken {
  return {
    ...row,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

@Injectable()
export class ApiTokensService {
  constructor(private readonly tokens: ApiTokensRepository) {}

  async list(): Promise<ApiToken[]> {
    return (await this.tokens.list()).map(toApiToken);
  }

  /** The token itself is in this answer only; the database keeps its hash. */
  async create(caller: AuthenticatedUser, request: CreateApiTokenRequest): Promise<CreatedApiToken> {
    const token = `${TOKEN_PREFIX}${newSecretToken()}`;
    const userId = request.userId ?? caller.id;
    const created = await this.tokens.create({
      name: request.name,
      userId,
      tokenHash: hashSecretToken(token),
      createdBy: caller.id,
      expiresInDays: request.expiresInDays ?? null,
    });
    if (!created) throw new NotFoundException(`no active user ${userId}`);
    return { ...toApiToken(created), token };
  }

  async revoke(id: string): Promise<void> {
    if (!(await this.tokens.revoke(id))) throw new NotFoundException(`API token ${id} not found`);
  }
}

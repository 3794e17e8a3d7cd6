import {
  ForbiddenException,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Role } from '@foreman/contracts';
import { IS_PUBLIC, REQUIRED_ROLES } from './auth.decorators';
import { AuthRepository } from './auth.repository';
import type { AuthenticatedUser } from './authenticated-user';
import { SESSION_COOKIE, hashSecretToken } from './secret-token';

/**
 * Global guard: every route needs a live session cookie (the site) or a bearer API token (scripts),
 * unless marked @Public(); @Roles() then limits it to those roles.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<Request & { user?: AuthenticatedUser }>();
    request.user = await this.authenticate(request);

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && !roles.includes(request.user.role)) {
      throw new ForbiddenException(`this needs the ${roles.join(' or ')} role`);
    }
    return true;
  }

  private async authenticate(request: Request): Promise<AuthenticatedUser> {
    const header = request.headers.authorization;
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) throw new UnauthorizedException('the Authorization header must be "Bearer <API token>"');
      const owner = await this.auth.findApiTokenOwner(hashSecretToken(match[1]!));
      if (!owner) throw new UnauthorizedException('the API token is unknown, expired or revoked');
      return { ...owner, via: 'api-token' };
    }
    const cookie = (request.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    if (!cookie) throw new UnauthorizedException('sign in first');
    const owner = await this.auth.findSessionOwner(hashSecretToken(cookie));
    if (!owner) throw new UnauthorizedException('your session has expired; sign in again');
    return { ...owner, via: 'session' };
  }
}

import {
  ForbiddenException,
  HttpStatus,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Role } from '@foreman/contracts';
import type { ProjectEntity } from '@foreman/database';
import { ProjectAccessService, projectKey, type ProjectKey } from '../projects/project-access.service';
import { accountDeactivated } from './account-deactivated';
import { IS_PUBLIC, REQUIRED_ROLES, ROUTE_PROJECT, type RouteProjectSource } from './auth.decorators';
import { AuthRepository } from './auth.repository';
import type { AuthenticatedUser } from './authenticated-user';
import { SESSION_COOKIE, hashSecretToken } from './secret-token';

type AuthenticatedRequest = Request & { user?: AuthenticatedUser; routeProject?: ProjectEntity | null };

/**
 * Global guard: every route needs a live session cookie (the site) or a bearer API token (scripts),
 * unless marked @Public(); @Roles() then limits it to those roles. On a route marked @ProjectFromPath()
 * it also looks up the route's project as the caller may see it (with a session, in the same statement).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthRepository,
    private readonly access: ProjectAccessService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const source = this.reflector.get<RouteProjectSource | undefined>(ROUTE_PROJECT, context.getHandler());
    // (a param that is no id names no project; its pipe answers 400 before the handler runs)
    const key = source ? projectKey(source.of, String(request.params[source.param])) : null;
    const { user, project } = await this.authenticate(request, key);
    request.user = user;
    if (source) request.routeProject = project;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && !roles.includes(user.role)) {
      throw new ForbiddenException(`this needs the ${roles.join(' or ')} role`);
    }
    return true;
  }

  private async authenticate(
    request: Request,
    key: ProjectKey | null,
  ): Promise<{ user: AuthenticatedUser; project: ProjectEntity | null }> {
    const header = request.headers.authorization;
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) throw new UnauthorizedException('the Authorization header must be "Bearer <API token>"');
      const tokenHash = hashSecretToken(match[1]!);
      const owner = await this.auth.findApiTokenOwner(tokenHash);
      if (!owner) {
        // (a script's owner needs to know whether to ask an admin or to make a new token)
        throw (await this.auth.isTokenOfDeactivatedUser(tokenHash))
          ? accountDeactivated(
              HttpStatus.UNAUTHORIZED,
              "the API token's account is deactivated; an admin can reactivate it on the Users page",
            )
          : new UnauthorizedException('the API token is unknown, expired or revoked');
      }
      const user: AuthenticatedUser = { ...owner, via: 'api-token' };
      return { user, project: key && (await this.access.findVisible(user, key)) };
    }
    const cookie = (request.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    if (!cookie) throw new UnauthorizedException('sign in first');
    const tokenHash = hashSecretToken(cookie);
    const found = key
      ? await this.access.findSessionOwnerWithProject(tokenHash, key)
      : { owner: await this.auth.findSessionOwner(tokenHash), project: null };
    if (!found?.owner) {
      // (the user is told why their session ended; asked only after a refusal, so an accepted request
      // makes no second statement)
      throw (await this.auth.isSessionOfDeactivatedUser(tokenHash))
        ? accountDeactivated(HttpStatus.UNAUTHORIZED)
        : new UnauthorizedException('your session has expired; sign in again');
    }
    return { user: { ...found.owner, via: 'session' }, project: found.project };
  }
}

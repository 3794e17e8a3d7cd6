import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Role } from '@foreman/contracts';
import type { ProjectEntity } from '@foreman/database';
import { PUBLIC_ROUTE } from '@foreman/observability';
import type { AuthenticatedUser } from './authenticated-user';

export const IS_PUBLIC = PUBLIC_ROUTE;
export const REQUIRED_ROLES = 'foreman:roles';

/** Open to callers who are not signed in (sign-in, health). Everything else needs a session or token. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Only these roles may call the handler; others get 403. */
export const Roles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);

/** The signed-in caller (AuthGuard has already rejected anonymous requests). */
export const CurrentUser = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): AuthenticatedUser =>
    ctx.switchToHttp().getRequest<{ user: AuthenticatedUser }>().user,
);

export const ROUTE_PROJECT = 'foreman:route-project';

/** Where a handler's project comes from: the project or item id in path param `param`. */
export interface RouteProjectSource {
  of: 'project' | 'item';
  param: string;
}

/**
 * The handler works in the project of its path's project or item id: AuthGuard looks that project up
 * together with the caller's session, in one statement (next, submit and skip: the labelling page's calls),
 * and `@RouteProject()` hands it over.
 */
export const ProjectFromPath = (of: RouteProjectSource['of'], param: string) =>
  SetMetadata(ROUTE_PROJECT, { of, param } satisfies RouteProjectSource);

/** The route's project (see ProjectFromPath); null when it does not exist or the caller may not see it. */
export const RouteProject = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): ProjectEntity | null =>
    ctx.switchToHttp().getRequest<{ routeProject?: ProjectEntity | null }>().routeProject ?? null,
);

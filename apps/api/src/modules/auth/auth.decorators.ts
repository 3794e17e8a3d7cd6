import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Role } from '@foreman/contracts';
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

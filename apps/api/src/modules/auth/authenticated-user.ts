import type { Role } from '@foreman/contracts';

/** Who is calling: set on the request by AuthGuard, read with `@CurrentUser()`. */
export interface AuthenticatedUser {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  /** How the caller proved who they are. */
  via: 'session' | 'api-token';
  /** The session's id when `via` is 'session'. */
  sessionId?: string;
}

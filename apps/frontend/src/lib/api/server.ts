import { cookies } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import type { ApiError, User } from '@foreman/contracts';
import { env } from '@/env';
import { createApiClient, type ApiClient } from './client';
import { isApiError } from './errors';

/** The API client for server components: calls the API directly, as the signed-in visitor. */
export async function serverApi(): Promise<ApiClient> {
  const cookieHeader = (await cookies()).toString();
  return createApiClient({ baseUrl: env().API_URL, headers: cookieHeader ? { cookie: cookieHeader } : {} });
}

export function signInPath(returnTo: string): string {
  return `/sign-in?next=${encodeURIComponent(returnTo)}`;
}

/**
 * The signed-in user; or none, with the reason the API gave for refusing the session cookie if it gave one
 * (`account-deactivated`: an admin deactivated the account, which ended its sessions).
 */
export type Session = { user: User } | { user: null; refusal: ApiError['reason'] };

export async function currentSession(): Promise<Session> {
  try {
    return await (await serverApi()).me();
  } catch (error) {
    if (isApiError(error, 401)) return { user: null, refusal: error.body?.reason };
    throw error;
  }
}

/** The signed-in user, or null when there is no valid session. */
export async function currentUser(): Promise<User | null> {
  return (await currentSession()).user;
}

/** Sends visitors without a session to sign in, coming back to `returnTo` afterwards. */
export async function requireUser(returnTo: string): Promise<User> {
  const user = await currentUser();
  if (!user) redirect(signInPath(returnTo));
  return user;
}

export async function requireAdmin(returnTo: string): Promise<User> {
  const user = await requireUser(returnTo);
  if (user.role !== 'admin') redirect('/');
  return user;
}

/**
 * Runs a server-side API call; a session that expired meanwhile goes back to sign in. What the API does
 * not know or will not show this visitor (404: an unknown or malformed id, a project they are not on)
 * is the site's 404 page.
 */
export async function orSignIn<T>(returnTo: string, work: (api: ApiClient) => Promise<T>): Promise<T> {
  try {
    return await work(await serverApi());
  } catch (error) {
    if (isApiError(error, 401)) redirect(signInPath(returnTo));
    if (isApiError(error, 404)) notFound();
    throw error;
  }
}

import type { CookieOptions, Request, Response } from 'express';
import { SESSION_COOKIE } from './secret-token';

/** httpOnly (scripts cannot read it), SameSite=Lax (not sent on cross-site POSTs), Secure unless turned off. */
function cookieOptions(secure: boolean): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure, path: '/' };
}

export function setSessionCookie(response: Response, token: string, expiresAt: Date, secure: boolean): void {
  response.cookie(SESSION_COOKIE, token, { ...cookieOptions(secure), expires: expiresAt });
}

export function clearSessionCookie(response: Response, secure: boolean): void {
  response.clearCookie(SESSION_COOKIE, cookieOptions(secure));
}

export function readSessionCookie(request: Request): string | undefined {
  return (request.cookies as Record<string, string | undefined> | undefined)?.[SESSION_COOKIE];
}

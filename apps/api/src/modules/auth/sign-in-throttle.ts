import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail, type ThrottlerModuleOptions } from '@nestjs/throttler';
import type { ApiConfig } from '../../config/env';

const MINUTE_MS = 60_000;

function clientAddress(request: Record<string, unknown>): string {
  return String(request.ip ?? 'unknown');
}

/** The account a password is tried for: the email sent to sign in, else the signed-in caller's. */
function attemptedEmail(request: Record<string, unknown>): string {
  const body = request.body as { email?: unknown } | undefined;
  if (typeof body?.email === 'string') return body.email.trim().toLowerCase();
  return (request.user as { email?: string } | undefined)?.email ?? '';
}

/**
 * Password attempts (sign-in, password change) are limited per client address and email (guessing
 * one account's password), and, ten times as loosely, per address alone (trying one password on many
 * accounts). Counts live in memory, per API instance. Answers 429 with Retry-After.
 */
export function signInThrottleOptions(config: ApiConfig): ThrottlerModuleOptions {
  const limit = config.SIGN_IN_ATTEMPTS_PER_MINUTE;
  return {
    errorMessage: (_context, detail) =>
      `too many sign-in attempts; try again in ${detail.timeToBlockExpire} seconds`,
    throttlers: [
      {
        name: 'sign-in-account',
        ttl: MINUTE_MS,
        limit,
        getTracker: (request) => `${clientAddress(request)}|${attemptedEmail(request)}`,
      },
      { name: 'sign-in-address', ttl: MINUTE_MS, limit: limit * 10, getTracker: clientAddress },
    ],
  };
}

/** ThrottlerGuard names its headers after each throttler; clients look for the standard Retry-After. */
@Injectable()
export class SignInThrottlerGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const { res } = this.getRequestResponse(context);
    this.setResponseHeader(res, 'Retry-After', detail.timeToBlockExpire);
    return super.throwThrottlingException(context, detail);
  }
}

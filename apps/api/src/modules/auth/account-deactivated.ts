import { HttpException, type HttpStatus } from '@nestjs/common';
import type { AuthRefusalReason } from '@foreman/contracts';

/** What a deactivated account's own session or password is told (the reason is who can undo it). */
const ACCOUNT_DEACTIVATED = 'your account has been deactivated; an admin can reactivate it on the Users page';

/** A refusal of a deactivated account's credentials, with the reason code clients act on beside the message. */
export function accountDeactivated(
  status: HttpStatus.UNAUTHORIZED | HttpStatus.FORBIDDEN,
  message = ACCOUNT_DEACTIVATED,
): HttpException {
  const reason: AuthRefusalReason = 'account-deactivated';
  return new HttpException({ message, reason }, status);
}

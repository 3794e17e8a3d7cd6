import { isApiError } from '@/lib/api/errors';
import { readableProblems } from '@/lib/api/problems';

/** Checked in the browser before anything is sent: the API sees one new password, not two. */
export const PASSWORDS_DIFFER = 'The two new passwords are not the same.';

/**
 * A password form's failure as sentences for its people: the API's rules (length, the current password)
 * stay the API's, but its field names become the form's labels, e.g. "New password: passwords need at
 * least 12 characters."
 */
export function passwordProblems(error: unknown, labels: Record<string, string>): string[] {
  if (isApiError(error, 429)) return ['Too many attempts. Wait a minute and try again.'];
  if (!isApiError(error)) return ['Something went wrong. Try again.'];
  if (error.transient) return ['The server could not be reached. Try again.'];
  return readableProblems(error, labels);
}

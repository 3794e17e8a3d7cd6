/** What a user whose account an admin deactivated is told: on sign-in after their session was refused, and when they sign in. */
export const ACCOUNT_DEACTIVATED =
  'Your account has been deactivated. An admin can reactivate it on the Users page; then sign in again.';

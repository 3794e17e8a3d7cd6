/** Only same-site paths are followed after sign-in, never another origin. */
export function safeReturnPath(next: string | undefined | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}

/** The sign-in page for someone whose session ended while they were on `returnTo`: it says so, and returns there. */
export function signedOutPath(returnTo: string): string {
  return `/sign-in?expired=1&next=${encodeURIComponent(returnTo)}`;
}

/** Only same-site paths are followed after sign-in, never another origin. */
export function safeReturnPath(next: string | undefined | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}

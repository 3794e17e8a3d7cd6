/** An origin no real site has, to resolve return paths against. */
const THIS_SITE = 'http://this-site.invalid';

/**
 * Only paths of this site are followed after sign-in, never another origin. The path is resolved as the
 * browser will resolve it, and the result kept only if it stays on this site: browsers drop tabs and line
 * breaks from URLs and read `\` as `/`, so "/\t/evil.test" leads to //evil.test. (A line break left in
 * would also break the redirect's header.)
 */
export function safeReturnPath(next: string | undefined | null): string {
  if (!next?.startsWith('/')) return '/';
  let url: URL;
  try {
    url = new URL(next, THIS_SITE);
  } catch {
    return '/';
  }
  // (resolving removes dot segments: "/..//evil.test" resolves on this site to the path //evil.test, which
  // a browser then reads as another site)
  if (url.origin !== THIS_SITE || url.pathname.startsWith('//')) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The sign-in page for someone whose session ended while they were on `returnTo`: it says so, and returns there. */
export function signedOutPath(returnTo: string): string {
  return `/sign-in?expired=1&next=${encodeURIComponent(returnTo)}`;
}

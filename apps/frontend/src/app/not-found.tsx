import type { Metadata } from 'next';
import Link from 'next/link';

export const metadata: Metadata = { title: 'Not found' };

/** Every unknown address, and every project the visitor may not see (the API answers those 404 too). */
export default function NotFound() {
  return (
    <section className="narrow state-box" data-testid="not-found">
      <h1>Page not found</h1>
      <p>
        There is nothing here, or nothing you have access to: the project may have been removed, or you may no
        longer be on it.
      </p>
      <Link className="button" href="/">
        Back to projects
      </Link>
    </section>
  );
}

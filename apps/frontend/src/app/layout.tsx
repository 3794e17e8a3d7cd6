import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { currentUser } from '@/lib/api/server';
import { SignOutButton } from './_components/sign-out-button';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Foreman', template: '%s · Foreman' },
  description: 'Label data with a model that learns from every label.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await currentUser().catch(() => null);
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <Link href="/" className="brand">
            Foreman
          </Link>
          {user && (
            <nav aria-label="Main">
              <ul>
                <li>
                  <Link href="/">Projects</Link>
                </li>
                {user.role === 'admin' && (
                  <>
                    <li>
                      <Link href="/users">Labellers</Link>
                    </li>
                    <li>
                      <Link href="/tokens">API tokens</Link>
                    </li>
                  </>
                )}
              </ul>
            </nav>
          )}
          {user && (
            <div className="who">
              <span>
                {user.displayName} <span className="muted">({user.role})</span>
              </span>
              <Link href="/account">Account</Link>
              <SignOutButton />
            </div>
          )}
        </header>
        <main id="main">{children}</main>
      </body>
    </html>
  );
}

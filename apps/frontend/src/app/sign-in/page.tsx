import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { currentUser } from '@/lib/api/server';
import { safeReturnPath } from '@/lib/return-path';
import { SignInForm } from './sign-in-form';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string; expired?: string }> }) {
  const { next, expired } = await searchParams;
  const returnTo = safeReturnPath(next);
  const user = await currentUser().catch(() => null);
  if (user) redirect(returnTo);
  return (
    <section className="narrow">
      <h1>Sign in</h1>
      {expired && (
        <p className="notice" role="status">
          You were signed out: your session ran out, or ended when your password or account was changed. Sign
          in again to carry on where you left off.
        </p>
      )}
      <SignInForm returnTo={returnTo} />
    </section>
  );
}

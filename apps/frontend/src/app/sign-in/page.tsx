import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { currentSession, type Session } from '@/lib/api/server';
import { safeReturnPath } from '@/lib/return-path';
import { ACCOUNT_DEACTIVATED } from './deactivated';
import { SignInForm } from './sign-in-form';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string; expired?: string }> }) {
  const { next, expired } = await searchParams;
  const returnTo = safeReturnPath(next);
  const session: Session = await currentSession().catch(() => ({ user: null, refusal: undefined }));
  if (session.user) redirect(returnTo);
  // (the browser still sends the ended session's cookie, so the API's refusal of it says why it ended)
  const deactivated = session.refusal === 'account-deactivated';
  return (
    <section className="narrow">
      <h1>Sign in</h1>
      {deactivated && (
        <p className="notice" role="status">
          {ACCOUNT_DEACTIVATED}
        </p>
      )}
      {expired && !deactivated && (
        <p className="notice" role="status">
          You were signed out: your session ran out, or ended when your password or account was changed. Sign
          in again to carry on where you left off.
        </p>
      )}
      <SignInForm returnTo={returnTo} />
    </section>
  );
}

import type { Metadata } from 'next';
import { requireUser } from '@/lib/api/server';
import { PasswordForm } from './password-form';

export const metadata: Metadata = { title: 'Account' };

export default async function AccountPage() {
  const user = await requireUser('/account');
  return (
    <section className="narrow">
      <h1>Your account</h1>
      <p>
        {user.displayName} · {user.email} · <span className="muted">{user.role}</span>
      </p>
      <section className="panel" aria-labelledby="password-heading">
        <h2 id="password-heading">Change your password</h2>
        <PasswordForm />
      </section>
    </section>
  );
}

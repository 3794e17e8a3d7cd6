'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { browserApi } from '@/lib/api/client';
import { isApiError } from '@/lib/api/errors';
import { ACCOUNT_DEACTIVATED } from './deactivated';

export function SignInForm({ returnTo }: { returnTo: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await browserApi.signIn(String(form.get('email')), String(form.get('password')));
      router.replace(returnTo);
      router.refresh();
    } catch (caught) {
      setBusy(false);
      if (isApiError(caught, 401)) setError('That email and password do not match an active account.');
      else if (isApiError(caught, 403) && caught.body?.reason === 'account-deactivated')
        setError(ACCOUNT_DEACTIVATED);
      else if (isApiError(caught, 429)) setError('Too many attempts. Wait a minute and try again.');
      else if (isApiError(caught)) setError(caught.message);
      else setError('Something went wrong. Try again.');
    }
  }

  return (
    <form className="form" onSubmit={onSubmit} aria-describedby={error ? 'sign-in-error' : undefined}>
      <label>
        Email
        <input name="email" type="email" autoComplete="username" required autoFocus />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      {error && (
        <p id="sign-in-error" className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button" aria-disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { browserApi } from '@/lib/api/client';
import { isApiError } from '@/lib/api/errors';
import { PASSWORDS_DIFFER, passwordProblems } from '@/lib/password-problems';
import { signedOutPath } from '@/lib/return-path';
import { NewPasswordFields } from '../_components/new-password-fields';
import { ProblemList } from '../_components/problem-list';

const LABELS = { currentPassword: 'Current password', newPassword: 'New password' };

/** The signed-in user's own password: the current one, then the new one twice. */
export function PasswordForm() {
  const router = useRouter();
  const [problems, setProblems] = useState<string[]>([]);
  const [changed, setChanged] = useState(false);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const newPassword = String(form.get('newPassword'));
    setChanged(false);
    if (newPassword !== String(form.get('repeatPassword'))) {
      setProblems([PASSWORDS_DIFFER]);
      return;
    }
    setBusy(true);
    setProblems([]);
    try {
      await browserApi.changePassword({ currentPassword: String(form.get('currentPassword')), newPassword });
      setChanged(true);
      formElement.reset();
    } catch (error) {
      if (isApiError(error, 401)) router.replace(signedOutPath('/account'));
      else setProblems(passwordProblems(error, LABELS));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="form"
      onSubmit={onSubmit}
      aria-describedby={problems.length > 0 ? 'password-problems' : undefined}
    >
      <label>
        Current password
        <input name="currentPassword" type="password" autoComplete="current-password" required />
      </label>
      <NewPasswordFields name="newPassword" />
      <ProblemList id="password-problems" problems={problems} />
      <button type="submit" className="button" aria-disabled={busy}>
        {busy ? 'Changing…' : 'Change password'}
      </button>
      <p className="notice" role="status">
        {changed &&
          'Password changed. Your other sessions were signed out; this one stays signed in. API tokens are not affected.'}
      </p>
    </form>
  );
}

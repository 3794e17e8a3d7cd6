'use client';

import { useState, type FormEvent } from 'react';
import type { User } from '@foreman/contracts';
import { browserApi } from '@/lib/api/client';
import { PASSWORDS_DIFFER, passwordProblems } from '@/lib/password-problems';
import { NewPasswordFields } from '../_components/new-password-fields';
import { ProblemList } from '../_components/problem-list';

const LABELS = { password: 'New password' };

/**
 * An admin sets another account's password, e.g. a labeller's forgotten one. The API ends every session
 * of that account (the admin's own stays), so the new password is the only way back in.
 */
export function SetPasswordForm({
  user,
  onSet,
  onCancel,
}: {
  user: User;
  onSet: (user: User) => void;
  onCancel: () => void;
}) {
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const form = new FormData(event.currentTarget);
    const password = String(form.get('password'));
    if (password !== String(form.get('repeatPassword'))) {
      setProblems([PASSWORDS_DIFFER]);
      return;
    }
    setBusy(true);
    setProblems([]);
    try {
      onSet(await browserApi.updateUser(user.id, { password }));
    } catch (error) {
      setProblems(passwordProblems(error, LABELS));
      setBusy(false);
    }
  }

  return (
    <form
      className="form report"
      onSubmit={onSubmit}
      aria-labelledby="set-password-heading"
      aria-describedby={problems.length > 0 ? 'set-password-problems' : undefined}
    >
      <h3 id="set-password-heading">Set a new password for {user.displayName}</h3>
      <p className="muted small">
        {user.displayName} is signed out everywhere and signs in with this password; tell them it. Their API
        tokens keep working.
      </p>
      <NewPasswordFields name="password" autoFocus />
      <ProblemList id="set-password-problems" problems={problems} />
      <div className="actions">
        <button type="submit" className="button" aria-disabled={busy}>
          Set password
        </button>
        <button type="button" className="button secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

'use client';

import Link from 'next/link';
import { useRef, useState, type FormEvent } from 'react';
import type { Role, User } from '@foreman/contracts';
import { browserApi } from '@/lib/api/client';
import { isApiError } from '@/lib/api/errors';
import { SetPasswordForm } from './set-password-form';
import { readableProblems } from '@/lib/api/problems';
import { ProblemList } from '../_components/problem-list';

/** The API's field names as the new-account form labels them. */
const FIELD_LABELS: Record<string, string> = {
  displayName: 'Name',
  email: 'Email',
  role: 'Role',
  password: 'Password',
};

function describe(error: unknown): string[] {
  if (isApiError(error)) return readableProblems(error, FIELD_LABELS);
  return ['Something went wrong.'];
}

export function UserManager({ initialUsers, myId }: { initialUsers: User[]; myId: string }) {
  const [users, setUsers] = useState(initialUsers);
  const [problems, setProblems] = useState<string[]>([]);
  const [created, setCreated] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [settingPassword, setSettingPassword] = useState<User | null>(null);
  const [passwordSet, setPasswordSet] = useState<string | null>(null);
  // The "Set password" button that opened the form: focus goes back to it when the form closes.
  const passwordOpener = useRef<HTMLButtonElement | null>(null);

  function closePasswordForm() {
    setSettingPassword(null);
    passwordOpener.current?.focus();
  }

  async function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setBusy(true);
    setProblems([]);
    setCreated(null);
    try {
      const user = await browserApi.createUser({
        email: String(form.get('email')),
        displayName: String(form.get('displayName')),
        role: String(form.get('role')) as Role,
        password: String(form.get('password')),
      });
      setUsers((current) => [...current, user]);
      setCreated(`${user.displayName} can now sign in as ${user.email}.`);
      formElement.reset();
    } catch (error) {
      setProblems(describe(error));
    } finally {
      setBusy(false);
    }
  }

  async function setActive(user: User, active: boolean) {
    setProblems([]);
    try {
      const updated = await browserApi.updateUser(user.id, { active });
      setUsers((current) => current.map((entry) => (entry.id === updated.id ? updated : entry)));
    } catch (error) {
      setProblems(describe(error));
    }
  }

  return (
    <div className="settings-grid">
      <section className="panel" aria-labelledby="accounts-heading">
        <h2 id="accounts-heading">Accounts</h2>
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <tr key={user.id}>
                  <td>{user.displayName}</td>
                  <td>{user.email}</td>
                  <td>{user.role}</td>
                  <td>{user.active ? 'active' : 'deactivated'}</td>
                  <td>
                    {user.id === myId ? (
                      <Link href="/account" className="small">
                        Change your password
                      </Link>
                    ) : (
                      <div className="actions">
                        <button
                          type="button"
                          className="button secondary small"
                          onClick={() => void setActive(user, !user.active)}
                          aria-label={`${user.active ? 'Deactivate' : 'Reactivate'} ${user.displayName}`}
                        >
                          {user.active ? 'Deactivate' : 'Reactivate'}
                        </button>
                        <button
                          type="button"
                          className="button secondary small"
                          onClick={(event) => {
                            passwordOpener.current = event.currentTarget;
                            setPasswordSet(null);
                            setSettingPassword(user);
                          }}
                          aria-label={`Set password for ${user.displayName}`}
                        >
                          Set password
                        </button>
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {settingPassword && (
          <SetPasswordForm
            key={settingPassword.id}
            user={settingPassword}
            onCancel={closePasswordForm}
            onSet={(user) => {
              closePasswordForm();
              setPasswordSet(
                `${user.displayName}’s password is set. Their sessions have ended: they sign in with the new password.`,
              );
            }}
          />
        )}
        <p className="notice" role="status">
          {passwordSet}
        </p>
      </section>
      <section className="panel" aria-labelledby="new-user-heading">
        <h2 id="new-user-heading">New account</h2>
        <form className="form" onSubmit={onCreate}>
          <label>
            Name
            <input name="displayName" required maxLength={200} />
          </label>
          <label>
            Email
            <input name="email" type="email" required autoComplete="off" />
          </label>
          <label>
            Role
            <select name="role" defaultValue="labeller">
              <option value="labeller">Labeller</option>
              <option value="admin">Admin</option>
            </select>
          </label>
          <label>
            Password <span className="muted">(at least 12 characters)</span>
            <input name="password" type="password" required minLength={12} autoComplete="new-password" />
          </label>
          <button type="submit" className="button" aria-disabled={busy}>
            Create account
          </button>
          {created && (
            <p className="notice" role="status">
              {created} Add them to projects from each project’s settings.
            </p>
          )}
        </form>
      </section>
      <ProblemList problems={problems} />
    </div>
  );
}

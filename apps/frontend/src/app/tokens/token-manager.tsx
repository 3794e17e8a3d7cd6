'use client';

import { useRef, useState, type FormEvent } from 'react';
import type { ApiToken, CreatedApiToken, User } from '@foreman/contracts';
import { browserApi } from '@/lib/api/client';
import { isApiError } from '@/lib/api/errors';
import { readableProblems } from '@/lib/api/problems';
import { ProblemList } from '../_components/problem-list';

/** The API's field names as the new-token form labels them. */
const FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  userId: 'Acts as',
  expiresInDays: 'Expires after days',
};

function status(token: ApiToken): string {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && new Date(token.expiresAt) < new Date()) return 'expired';
  return token.expiresAt ? `valid until ${new Date(token.expiresAt).toLocaleDateString()}` : 'valid';
}

export function TokenManager({ initialTokens, users }: { initialTokens: ApiToken[]; users: User[] }) {
  const [tokens, setTokens] = useState(initialTokens);
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [revoked, setRevoked] = useState<string | null>(null);
  // A revoked token's button goes away: focus goes to the list's heading instead of the page's start.
  const tokensHeading = useRef<HTMLHeadingElement>(null);
  const names = new Map(users.map((user) => [user.id, user.displayName]));

  async function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const days = String(form.get('expiresInDays') ?? '');
    const userId = String(form.get('userId') ?? '');
    setProblems([]);
    try {
      const token = await browserApi.createToken({
        name: String(form.get('name')),
        ...(userId ? { userId } : {}),
        ...(days ? { expiresInDays: Number(days) } : {}),
      });
      setCreated(token);
      setTokens((current) => [token, ...current]);
      formElement.reset();
    } catch (caught) {
      setProblems(isApiError(caught) ? readableProblems(caught, FIELD_LABELS) : ['Could not create the token.']);
    }
  }

  async function revoke(token: ApiToken) {
    setProblems([]);
    setRevoked(null);
    try {
      await browserApi.revokeToken(token.id);
      const revokedAt = new Date().toISOString();
      setTokens((current) => current.map((entry) => (entry.id === token.id ? { ...entry, revokedAt } : entry)));
      setRevoked(`${token.name} is revoked.`);
      tokensHeading.current?.focus();
    } catch (caught) {
      setProblems([isApiError(caught) ? caught.message : 'Could not revoke the token.']);
    }
  }

  return (
    <div className="settings-grid">
      <section className="panel" aria-labelledby="new-token-heading">
        <h2 id="new-token-heading">New token</h2>
        <form className="form" onSubmit={onCreate}>
          <label>
            Name <span className="muted">(what it is for)</span>
            <input name="name" required maxLength={200} />
          </label>
          <label>
            Acts as
            <select name="userId" defaultValue="">
              <option value="">Me</option>
              {users
                .filter((user) => user.active)
                .map((user) => (
                  <option key={user.id} value={user.id}>
                    {user.displayName} ({user.role})
                  </option>
                ))}
            </select>
          </label>
          <label>
            Expires after days <span className="muted">(empty: never)</span>
            <input name="expiresInDays" type="number" min={1} max={3650} />
          </label>
          <button type="submit" className="button">
            Create token
          </button>
        </form>
        {created && (
          <div className="notice" role="status">
            <p>
              Copy the token for <strong>{created.name}</strong> now: it is shown only once.
            </p>
            <code className="secret" data-testid="created-token">
              {created.token}
            </code>
          </div>
        )}
        <ProblemList problems={problems} />
      </section>
      <section className="panel" aria-labelledby="tokens-heading">
        <h2 id="tokens-heading" ref={tokensHeading} tabIndex={-1}>
          Tokens
        </h2>
        <p className="notice" role="status">
          {revoked}
        </p>
        {tokens.length === 0 ? (
          <p className="muted">No tokens.</p>
        ) : (
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Acts as</th>
                  <th scope="col">Created</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((token) => (
                  <tr key={token.id}>
                    <td>{token.name}</td>
                    <td>{names.get(token.userId) ?? token.userId}</td>
                    <td>{new Date(token.createdAt).toLocaleDateString()}</td>
                    <td>{status(token)}</td>
                    <td>
                      {!token.revokedAt && (
                        <button
                          type="button"
                          className="button secondary small"
                          onClick={() => void revoke(token)}
                          aria-label={`Revoke ${token.name}`}
                        >
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

'use client';

import { useState } from 'react';
import type { User } from '@foreman/contracts';
import { browserApi } from '@/lib/api/client';
import { isApiError } from '@/lib/api/errors';

/** Who may label this project: a checkbox per active account. */
export function Members({
  projectId,
  users,
  initialMembers,
}: {
  projectId: string;
  users: User[];
  initialMembers: User[];
}) {
  const [memberIds, setMemberIds] = useState(() => new Set(initialMembers.map((member) => member.id)));
  const [error, setError] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const candidates = users.filter((user) => user.active || memberIds.has(user.id));

  function setMember(userId: string, member: boolean) {
    setMemberIds((current) => {
      const next = new Set(current);
      if (member) next.add(userId);
      else next.delete(userId);
      return next;
    });
  }

  /** Shown at once, undone if the API refuses. */
  async function toggle(user: User, member: boolean) {
    if (busyId === user.id) return;
    setMember(user.id, member);
    setBusyId(user.id);
    setError(null);
    try {
      if (member) await browserApi.addMember(projectId, user.id);
      else await browserApi.removeMember(projectId, user.id);
    } catch (caught) {
      setMember(user.id, !member);
      setError(isApiError(caught) ? caught.message : 'Could not change the membership.');
    } finally {
      setBusyId(null);
    }
  }

  if (candidates.length === 0) return <p className="muted">No accounts yet: create labellers first.</p>;
  return (
    <div>
      <ul className="checklist">
        {candidates.map((user) => (
          <li key={user.id}>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={memberIds.has(user.id)}
                aria-disabled={busyId === user.id}
                onChange={(event) => void toggle(user, event.target.checked)}
              />
              {user.displayName} <span className="muted small">{user.email}</span>
              {user.role === 'admin' && <span className="tag">admin</span>}
              {!user.active && <span className="tag">inactive</span>}
            </label>
          </li>
        ))}
      </ul>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

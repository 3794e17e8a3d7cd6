'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { Project } from '@foreman/contracts';
import { browserApi } from '@/lib/api/client';
import { isApiError } from '@/lib/api/errors';
import { ProblemList } from '@/app/_components/problem-list';

/**
 * Deletes an archived project for good. Typing its name is the confirmation: unlike archiving, this
 * cannot be undone, so one click (or one Enter) must not be enough.
 */
export function DeleteProject({ project }: { project: Project }) {
  const router = useRouter();
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function deleteProject(event: React.FormEvent) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await browserApi.deleteProject(project.id);
      router.replace('/');
      router.refresh();
    } catch (caught) {
      setError(isApiError(caught) ? caught.message : 'Could not delete the project.');
      setBusy(false);
    }
  }

  return (
    <form className="form" onSubmit={(event) => void deleteProject(event)}>
      <p>
        Deleting removes the project with its items, labels, model versions and exports, for good. Export what
        you want to keep first.
      </p>
      <label>
        Type the project’s name, <strong>{project.name}</strong>, to delete it
        <input value={typed} onChange={(event) => setTyped(event.target.value)} autoComplete="off" />
      </label>
      <div className="actions">
        <button
          type="submit"
          className="button danger"
          disabled={typed !== project.name}
          aria-disabled={busy}
        >
          Delete project
        </button>
      </div>
      <ProblemList problems={error ? [error] : []} />
    </form>
  );
}

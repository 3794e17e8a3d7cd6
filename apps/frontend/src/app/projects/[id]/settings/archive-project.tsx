'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import type { Project } from '@foreman/contracts';
import { browserApi } from '@/lib/api/client';
import { isApiError } from '@/lib/api/errors';
import { ProblemList } from '@/app/_components/problem-list';

/** Archive (after a confirmation) or unarchive the project; the page is rendered again either way. */
export function ArchiveProject({ project }: { project: Project }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // When the confirmation closes (Cancel, or archived), focus goes to the button left in its place rather than
  // to the page's start; that button stays focused as it turns into Unarchive (busy buttons stay focusable).
  const action = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);
  useEffect(() => {
    if (wasConfirming.current && !confirming) action.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  async function setArchived(archived: boolean) {
    setBusy(true);
    setError(null);
    try {
      await browserApi.updateProject(project.id, { archived });
      setConfirming(false);
      router.refresh();
    } catch (caught) {
      setError(isApiError(caught) ? caught.message : 'Could not change the project.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="form">
      {project.archived ? (
        <p>
          This project is <strong>archived</strong>: labelling is closed. Unarchiving reopens labelling,
          imports and training, and puts it back on its labellers’ project lists.
        </p>
      ) : (
        <p>
          Archiving closes labelling: labellers get no more items and cannot undo labels (a label for an item
          already on screen is still saved). The project leaves labellers’ project lists, imports are refused
          and the model is no longer retrained. Its labels, dashboard and exports stay; you can unarchive it
          at any time.
        </p>
      )}
      {project.archived ? (
        <div className="actions">
          <button
            ref={action}
            type="button"
            className="button"
            aria-disabled={busy}
            onClick={() => !busy && void setArchived(false)}
          >
            Unarchive project
          </button>
        </div>
      ) : confirming ? (
        <div className="actions" role="group" aria-label="Confirm archiving">
          <span>Archive {project.name}?</span>
          <button
            type="button"
            className="button"
            aria-disabled={busy}
            onClick={() => !busy && void setArchived(true)}
            autoFocus
          >
            Yes, archive it
          </button>
          <button
            type="button"
            className="button secondary"
            disabled={busy}
            onClick={() => setConfirming(false)}
          >
            Cancel
          </button>
        </div>
      ) : (
        <div className="actions">
          <button ref={action} type="button" className="button secondary" onClick={() => setConfirming(true)}>
            Archive project…
          </button>
        </div>
      )}
      <ProblemList problems={error ? [error] : []} />
    </div>
  );
}

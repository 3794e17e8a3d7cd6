'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { LabelValue, NextItemResponse, ProgressCounts, Project } from '@foreman/contracts';
import { browserApi } from '@/lib/api/client';
import { isApiError } from '@/lib/api/errors';
import { retryTransient } from '@/lib/api/retry';
import { newClientRequestId } from '@/lib/client-request-id';
import { shortcutKeys } from '@/lib/shortcuts';
import { signedOutPath } from '@/lib/return-path';
import { ClassButtons } from './class-buttons';
import { FailureBox, type Failure } from './failure-box';
import { ItemView } from './item-view';
import { LeaseLost, type LostWork } from './lease-lost';
import { LabellingClosed } from './labelling-closed';
import { QueueDone } from './queue-done';
import { PendingLabelStore, type PendingLabel } from './pending-label';
import { ProjectGone } from './project-gone';
import { alreadySavedNotice, isAlreadyLabelled, settingsChangeNotice } from './refusals';
import { useCurrentProject } from './use-current-project';
import { useLabellingKeys } from './use-labelling-keys';
import { useReleaseOnLeave } from './use-release-on-leave';
import { WhyThisItem } from './why-this-item';

type Served = Extract<NextItemResponse, { status: 'item' }>;
type Done = Extract<NextItemResponse, { status: 'done' }>;

type View =
  | { kind: 'loading' }
  | { kind: 'item'; served: Served }
  | { kind: 'done'; done: Done }
  /** The item went back to the queue (or to someone else) before the label or skip reached the API. */
  | { kind: 'expired'; lost: LostWork | null }
  /** The project is gone for this labeller: removed from it, or it was deleted. Nothing to retry. */
  | { kind: 'gone' }
  /** The project was archived: labelling is closed. */
  | { kind: 'closed' };

const RECHECK_MS = 3000;

/** The API's reason, naming the item by its caption (external id) as the page shows it, not its database id. */
function inTermsOf(message: string, item: Served['item']): string {
  return message.replaceAll(`item ${item.id}`, `item ${item.externalId}`);
}

/** The User Timing measure the e2e test reads: from a class key to the next item on screen. */
export const LABEL_TO_NEXT_MEASURE = 'foreman:label-to-next-item';

/**
 * Keyboard-first labelling. The API holds one lease per labeller, so the next item cannot be claimed
 * while this one is held: a label is submitted and the next item requested straight after, and the
 * current item stays on screen (keys ignored) until the next one replaces it, so nothing flickers.
 */
export function Labeller({ project: loaded }: { project: Project }) {
  const { project, refetch: refetchProject, refreshIfStale: refreshProjectIfStale } = useCurrentProject(loaded);
  const router = useRouter();
  const returnTo = `/projects/${project.id}/label`;
  const pending = useMemo(() => new PendingLabelStore(project.id), [project.id]);
  const [view, setView] = useState<View>(project.archived ? { kind: 'closed' } : { kind: 'loading' });
  const [progress, setProgress] = useState<ProgressCounts | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);
  const [imageFailedItemId, setImageFailedItemId] = useState<number | null>(null);
  const busyRef = useRef(false);
  const labelStartedAt = useRef<number | null>(null);
  const started = useRef(false);

  const keys = useMemo(() => shortcutKeys(project.classes), [project.classes]);
  const classByKey = useMemo(() => {
    const map = new Map<string, string>();
    keys.forEach((key, index) => {
      const className = project.classes[index];
      if (key && className !== undefined) map.set(key, className);
    });
    return map;
  }, [keys, project.classes]);

  const show = useCallback(
    (response: NextItemResponse) => {
      setProgress(response.progress);
      setSelected([]);
      if (response.status === 'done') labelStartedAt.current = null;
      setView(response.status === 'item' ? { kind: 'item', served: response } : { kind: 'done', done: response });
      refreshProjectIfStale();
    },
    [refreshProjectIfStale],
  );

  const goSignIn = useCallback(() => {
    router.replace(signedOutPath(returnTo));
  }, [router, returnTo]);

  /**
   * Runs one action at a time; failures become the page's states, each with a way on. An action marked
   * `repeatable` is first retried by itself while the API cannot be reached, so a restart goes unnoticed.
   * A 404 means the project is gone for this labeller (the API answers so for a project they were taken
   * off, and for its items), unless the action knows better (`onNotFound`); a 409 that the item is no
   * longer theirs (`lost` says which item and what was refused), or that the project is archived.
   */
  const run = useCallback(
    async (
      work: () => Promise<void>,
      options: {
        onUnauthorized?: () => void;
        onNotFound?: () => void;
        lost?: Omit<LostWork, 'reason' | 'leaseRanOut'>;
        repeatable?: boolean;
      } = {},
    ) => {
      if (busyRef.current) return;
      busyRef.current = true;
      setBusy(true);
      setFailure(null);
      try {
        await (options.repeatable ? retryTransient(work) : work());
      } catch (error) {
        labelStartedAt.current = null;
        if (isApiError(error, 401)) {
          options.onUnauthorized?.();
          goSignIn();
        } else if (isApiError(error, 409)) {
          // A 409 is about the item (its lease, its labels) unless the project was archived meanwhile, which
          // answers next and undo with 409 too: then say labelling is closed, not "no longer yours".
          // (the project fetched again also brings the lease time the page then states)
          const archived = await refetchProject().then(
            (current) => current.archived,
            () => false,
          );
          const lost = options.lost && {
            ...options.lost,
            reason: inTermsOf(error.message, options.lost.item),
            leaseRanOut: error.body?.reason === 'lease-expired',
          };
          setView(archived ? { kind: 'closed' } : { kind: 'expired', lost: lost ?? null });
        } else if (isApiError(error, 404)) {
          if (options.onNotFound) options.onNotFound();
          else setView({ kind: 'gone' });
        } else {
          const message = isApiError(error) && !error.transient ? error.message : 'The server could not be reached.';
          // A 4xx is the request's own fault: sent again it would be refused again (429 only asks to wait).
          const retryable = !isApiError(error) || error.status >= 500 || error.status === 429 || error.transient;
          setFailure({ message, retry: retryable ? () => void run(work, options) : null });
        }
      } finally {
        busyRef.current = false;
        setBusy(false);
      }
    },
    [goSignIn, refetchProject],
  );

  const loadNext = useCallback(
    () => run(async () => show(await browserApi.next(project.id)), { repeatable: true }),
    [run, show, project.id],
  );

  const submitPending = useCallback(
    async ({ itemId, ...request }: PendingLabel, { next = false } = {}) => {
      const answer = await browserApi.submitLabel(itemId, { ...request, next });
      setProgress(answer.progress);
      return answer.next;
    },
    [],
  );

  // First load: a label given just before the session expired is submitted first, then the queue resumes
  // (an archived project's label waits in the tab until the project is reopened).
  useEffect(() => {
    if (started.current || project.archived) return;
    started.current = true;
    const saved = pending.read();
    void run(async () => {
      if (saved) {
        try {
          await submitPending(saved);
          setNotice('Your last label, given before you signed in again, was saved.');
        } catch (error) {
          if (isApiError(error, 401)) throw error;
          setNotice(
            isAlreadyLabelled(error)
              ? 'The label you gave before signing in again was not added: your label for that item is already saved.'
              : isApiError(error, 409)
                ? 'Your last label could not be saved: the item went back to the queue while you were signed out.'
                : `Your last label could not be saved: ${isApiError(error) ? error.message : 'unknown error'}`,
          );
        }
        pending.clear();
      }
      show(await browserApi.next(project.id));
    });
  }, [pending, project.id, project.archived, run, show, submitPending]);

  // Items other labellers hold come back if they skip them or their lease runs out: while there are such
  // items, the finished state checks again on its own. Skipped items come back only when asked for.
  const othersStillWorking = view.kind === 'done' && view.done.heldByOthers > 0;
  useEffect(() => {
    if (!othersStillWorking) return;
    const timer = setInterval(() => {
      if (busyRef.current) return;
      // (a failed check is tried again at the next tick, unless it says the project closed or went away)
      void browserApi.next(project.id).then(show, (error: unknown) => {
        if (isApiError(error, 409)) setView({ kind: 'closed' }); // next's one conflict: the project is archived
        else if (isApiError(error, 404)) setView({ kind: 'gone' });
      });
    }, RECHECK_MS);
    return () => clearInterval(timer);
  }, [othersStillWorking, project.id, show]);

  const served = view.kind === 'item' ? view.served : null;
  // While a failed request waits for Retry, the item's keys and buttons wait too (see FailureBox).
  const awaitingRetry = failure?.retry != null;
  const imageFailed = served !== null && imageFailedItemId === served.item.id;
  const canLabel = served !== null && !busy && !awaitingRetry && !imageFailed;
  // (kept while a label or skip is under way or waits for Retry: that request still needs the lease)
  useReleaseOnLeave(served?.item.id ?? null, !busy && !awaitingRetry, loadNext);

  /**
   * Refusals of a label or skip that the page answers itself instead of offering a Retry: the labeller's label
   * on the item is saved already (the page moves on), or an admin changed the classes or multi-label while the
   * page was open (it shows them, same item). False when the refusal is none of these.
   */
  const settleRefusal = useCallback(
    async (error: unknown, item: Served['item'], action: 'label' | 'skip'): Promise<boolean> => {
      if (isAlreadyLabelled(error)) {
        show(await browserApi.next(project.id));
        setNotice(alreadySavedNotice(item, action));
        return true;
      }
      const changed = isApiError(error, 400) && settingsChangeNotice(project, await refetchProject(), item);
      if (!changed) return false;
      setSelected([]);
      setNotice(changed);
      return true;
    },
    [show, project, refetchProject],
  );

  // Measure from the key press to the frame that shows the next item.
  useEffect(() => {
    const startedAt = labelStartedAt.current;
    if (startedAt === null || !served) return;
    labelStartedAt.current = null;
    requestAnimationFrame(() => {
      performance.measure(LABEL_TO_NEXT_MEASURE, { start: startedAt, end: performance.now() });
    });
  }, [served]);

  const submit = useCallback(
    (value: LabelValue) => {
      if (!served || busyRef.current || awaitingRetry) return;
      labelStartedAt.current = performance.now();
      setNotice(null);
      const label: PendingLabel = {
        itemId: served.item.id,
        value,
        clientRequestId: newClientRequestId(),
        leaseId: served.lease.id,
      };
      // A retry sends the same clientRequestId, so the API answers it once, never labelling twice.
      void run(
        async () => {
          try {
            // (the submit answers the next item too: one round trip between items; an archived project's
            // answer has none, and POST next then says why labelling is closed)
            const next = await submitPending(label, { next: true });
            show(next ?? (await browserApi.next(project.id)));
          } catch (error) {
            if (!(await settleRefusal(error, served.item, 'label'))) throw error;
          }
        },
        {
          onUnauthorized: () => pending.save(label),
          lost: { item: served.item, action: 'label' },
          repeatable: true,
        },
      );
    },
    [served, awaitingRetry, run, submitPending, show, settleRefusal, project.id, pending],
  );

  const skip = useCallback(() => {
    if (!served || awaitingRetry) return;
    setNotice(null);
    void run(
      async () => {
        try {
          const answer = await browserApi.skip(served.item.id);
          setProgress(answer.progress);
        } catch (error) {
          if (await settleRefusal(error, served.item, 'skip')) return;
          throw error;
        }
        show(await browserApi.next(project.id));
      },
      { lost: { item: served.item, action: 'skip' } },
    );
  }, [served, awaitingRetry, run, show, settleRefusal, project.id]);

  const revisitSkipped = useCallback(() => {
    setNotice(null);
    void run(async () => show((await browserApi.clearSkips(project.id)).next), { repeatable: true });
  }, [run, show, project.id]);

  const undo = useCallback(() => {
    // A retry sends the same clientRequestId, so an undo whose answer was lost never takes back a second label.
    const request = { clientRequestId: newClientRequestId() };
    void run(
      async () => {
        const answer = await browserApi.undo(project.id, request);
        show(answer.next);
        setNotice(`Undone: your label “${answer.label.value.join(', ')}”. The item is back for you to label again.`);
      },
      {
        // 404: no label to undo, or no project any more (taken off it): which one, the project says.
        onNotFound: () =>
          void browserApi.getProject(project.id).then(
            () => setNotice('Nothing to undo: you have no label left to take back in this project.'),
            (error: unknown) => {
              if (isApiError(error, 404)) setView({ kind: 'gone' });
            },
          ),
        repeatable: true,
      },
    );
  }, [run, show, project.id]);

  const toggle = useCallback((className: string) => {
    setSelected((current) =>
      current.includes(className) ? current.filter((name) => name !== className) : [...current, className],
    );
  }, []);

  const choose = useCallback(
    (className: string) => (project.multiLabel ? toggle(className) : submit(className)),
    [project.multiLabel, toggle, submit],
  );

  const submitSelection = useCallback(() => {
    if (selected.length > 0) submit(project.classes.filter((name) => selected.includes(name)));
  }, [selected, submit, project.classes]);

  useLabellingKeys({
    // (not while a label waits for Retry: undo would take back that label or, if it was lost, the one before)
    undo: view.kind !== 'gone' && !awaitingRetry ? undo : null,
    next: view.kind === 'expired' || view.kind === 'done' ? () => void loadNext() : null,
    revisitSkipped: view.kind === 'done' && view.done.skipped > 0 ? revisitSkipped : null,
    retry: failure?.retry ?? null,
    skip: served && !awaitingRetry ? skip : null,
    submitSelection: canLabel && project.multiLabel ? submitSelection : null,
    choose: canLabel ? choose : null,
    classByKey,
  });

  return (
    <section className="labeller" aria-busy={busy}>
      <div className="labeller-head">
        <h1>{project.name}</h1>
        {progress && (
          <div className="labeller-progress">
            <progress
              value={progress.fullyLabelled}
              max={Math.max(progress.total, 1)}
              aria-label="Project progress"
            />
            <p className="small" data-testid="progress-text">
              {progress.fullyLabelled} of {progress.total} done · {progress.remaining} left ·{' '}
              <strong data-testid="my-count">you: {progress.mine}</strong>
            </p>
          </div>
        )}
      </div>

      <p className="notice" role="status" aria-live="polite">
        {notice}
      </p>
      {failure && <FailureBox failure={failure} />}

      {view.kind === 'loading' && <p className="muted">Loading the next item…</p>}

      {view.kind === 'closed' && <LabellingClosed projectName={project.name} />}

      {view.kind === 'done' && (
        <QueueDone
          done={view.done}
          othersStillWorking={othersStillWorking}
          onCheckAgain={() => void loadNext()}
          onRevisitSkipped={revisitSkipped}
        />
      )}

      {view.kind === 'expired' && (
        <LeaseLost lost={view.lost} leaseSeconds={project.leaseSeconds} onNext={() => void loadNext()} />
      )}

      {view.kind === 'gone' && <ProjectGone />}

      {served && (
        <div className="labelling-area">
          <figure className="item" data-testid="item"
            data-item-id={served.item.id}
            data-external-id={served.item.externalId} aria-busy={busy}>
            <ItemView
              item={served.item}
              project={project}
              imageFailed={imageFailed}
              onImageError={() => setImageFailedItemId(served.item.id)}
            />
            <figcaption className="muted small">Item {served.item.externalId}</figcaption>
          </figure>

          <div className="controls">
            <ClassButtons
              classes={project.classes}
              keys={keys}
              multiLabel={project.multiLabel}
              selected={selected}
              disabled={!canLabel}
              onChoose={choose}
            />
            <div className="actions">
              {project.multiLabel && (
                <button
                  type="button"
                  className="button"
                  disabled={!canLabel || selected.length === 0}
                  onClick={submitSelection}
                  aria-keyshortcuts="Enter"
                >
                  <kbd>Enter</kbd> Submit {selected.length > 0 ? `(${selected.length})` : ''}
                </button>
              )}
              <button
                type="button"
                className="button secondary"
                disabled={busy || awaitingRetry}
                onClick={skip}
                aria-keyshortcuts="S"
              >
                <kbd>S</kbd> Skip
              </button>
              <button
                type="button"
                className="button secondary"
                disabled={busy || awaitingRetry}
                onClick={undo}
                aria-keyshortcuts="U Backspace"
              >
                <kbd>U</kbd> Undo
              </button>
            </div>
            <WhyThisItem reason={served.reason} inputKind={project.inputKind} />
          </div>
        </div>
      )}
      {(view.kind === 'done' || view.kind === 'expired') && progress !== null && progress.mine > 0 && (
        <p className="small muted">
          Press <kbd>U</kbd> to undo your last label.
        </p>
      )}
    </section>
  );
}

import Link from 'next/link';
import type { NextItemResponse } from '@foreman/contracts';
import { count } from '@/lib/plural';

type Done = Extract<NextItemResponse, { status: 'done' }>;

/**
 * The end of a labeller's queue, told as it is: the project is fully labelled, or what is left is held by
 * other labellers (the page checks again by itself), skipped by this labeller (offered again on request),
 * or waits for other labellers' labels.
 */
export function QueueDone({
  done: { progress, skipped, heldByOthers },
  othersStillWorking,
  onCheckAgain,
  onRevisitSkipped,
}: {
  done: Done;
  othersStillWorking: boolean;
  onCheckAgain: () => void;
  onRevisitSkipped: () => void;
}) {
  const empty = progress.total === 0;
  const finished = !empty && progress.fullyLabelled === progress.total;
  return (
    <div className="state-box" data-testid="queue-done">
      <h2>
        {empty
          ? 'No items to label yet'
          : finished
            ? 'This project is fully labelled'
            : 'Nothing left for you to label right now'}
      </h2>
      {empty && <p>This project has no items yet: an admin imports them from its settings.</p>}
      {finished && <p>Every item has all the labels it needs. Thank you!</p>}
      {!finished && heldByOthers > 0 && (
        <p>
          {count(heldByOthers, 'item')} {heldByOthers === 1 ? 'is' : 'are'} held by other labellers right now;
          if they skip {heldByOthers === 1 ? 'it' : 'them'} or run out of time,{' '}
          {heldByOthers === 1 ? 'it comes' : 'they come'} back to you. This page checks every few seconds.
        </p>
      )}
      {!finished && skipped > 0 && (
        <p>
          You skipped {count(skipped, 'item')} that still {skipped === 1 ? 'needs' : 'need'} labels; skipped
          items are not offered to you again unless you ask.
        </p>
      )}
      {!empty && !finished && heldByOthers === 0 && skipped === 0 && (
        <p>You have labelled every item that still needs labels; the rest must come from other labellers.</p>
      )}
      <div className="actions">
        {!finished && skipped > 0 && (
          <button type="button" className="button" onClick={onRevisitSkipped}>
            Show skipped items again (R)
          </button>
        )}
        {!othersStillWorking && !finished && (
          <button type="button" className="button secondary" onClick={onCheckAgain}>
            Check again (N)
          </button>
        )}
        <Link className="button secondary" href="/">
          Back to projects
        </Link>
      </div>
    </div>
  );
}

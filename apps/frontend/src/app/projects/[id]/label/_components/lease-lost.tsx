import type { NextItemResponse } from '@foreman/contracts';

type ServedItem = Extract<NextItemResponse, { status: 'item' }>['item'];

/** What a refused label or skip was about, in the labeller's terms (the caption, never the database id). */
export interface LostWork {
  item: ServedItem;
  action: 'label' | 'skip';
  reason: string;
  /** The labeller's lease ran out (then the lease time explains it), rather than e.g. the item got all its labels. */
  leaseRanOut: boolean;
}

/** The item went back to the queue (or to someone else) before the label or skip reached the API. */
export function LeaseLost({
  lost,
  leaseSeconds,
  onNext,
}: {
  lost: LostWork | null;
  leaseSeconds: number;
  onNext: () => void;
}) {
  const leaseRanOut = lost === null || lost.leaseRanOut;
  return (
    <div className="state-box" data-testid="lease-expired">
      <h2>{lost ? `Item ${lost.item.externalId} is no longer yours` : 'This item is no longer yours'}</h2>
      <p>
        {lost
          ? `Your ${lost.action === 'label' ? 'label' : 'skip'} for it was not saved: ${lost.reason}.`
          : 'It went back to the queue.'}{' '}
        {leaseRanOut &&
          `Items are held for you for ${leaseSeconds} seconds; after that they go back to the queue. `}
        Carry on with the next item.
      </p>
      <button type="button" className="button" onClick={onNext} autoFocus>
        Next item (N)
      </button>
    </div>
  );
}

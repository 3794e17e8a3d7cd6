import type { InputKind, QueueReason } from '@foreman/contracts';
import { getsModels } from '@/lib/models';

/** Why the queue served this item: the model's rank and score, the exploration shuffle, or queue order. */
export function WhyThisItem({ reason, inputKind }: { reason: QueueReason; inputKind: InputKind }) {
  return (
    <p className="why small" data-testid="why">
      {reason.modelVersion !== null ? (
        <>
          <strong>Why this item?</strong>{' '}
          {reason.shuffled
            ? `Shuffled in at #${(reason.rank ?? 0) + 1} to explore (a share of model v${reason.modelVersion}'s queue is picked at random)`
            : `Model v${reason.modelVersion} ranked it${reason.rank !== null ? ` #${reason.rank + 1}` : ''} by ${reason.strategy ?? 'score'}`}
          {reason.score !== null ? `, score ${reason.score.toFixed(3)}` : ''}.
        </>
      ) : (
        <span className="muted">
          {getsModels(inputKind)
            ? 'Served in queue order: no model has ranked it yet.'
            : 'Served in import order: image projects get no model.'}
        </span>
      )}
    </p>
  );
}

/** A request that failed. `retry` sends the very same request again; null when that cannot help (a 4xx). */
export interface Failure {
  message: string;
  retry: (() => void) | null;
}

/**
 * The failure and the one way on. While a Retry is offered the item's keys wait: a new key would send a new
 * request (a new clientRequestId) beside the first, which may have been saved although its answer was lost.
 */
export function FailureBox({ failure: { message, retry } }: { failure: Failure }) {
  const sentence = /[.!?]$/.test(message) ? message : `${message}.`;
  return (
    <div className="error-box" role="alert">
      <p>
        {sentence}{' '}
        {retry
          ? 'Your work is kept: Retry (Enter) sends the same request again, and it is never counted twice. Until then the class keys, Skip and Undo wait.'
          : 'Nothing was saved; sending it again would be refused the same way.'}
      </p>
      {retry && (
        <button type="button" className="button" onClick={retry} autoFocus>
          Retry
        </button>
      )}
    </div>
  );
}

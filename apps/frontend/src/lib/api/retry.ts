import { isApiError } from './errors';

/** Pauses before each automatic retry: together about as long as an API restart takes (2-3 s). */
const TRANSIENT_RETRY_DELAYS_MS = [500, 1_000, 2_000];

/**
 * Runs `work` and, while it fails on the way (no answer, or the proxy in front of the API failed, as
 * while the API restarts during a deploy), runs it again after each pause; then the failure is the
 * caller's. Only for calls that are safe to repeat: loading the next item, a submit with its request id.
 */
export async function retryTransient<T>(work: () => Promise<T>): Promise<T> {
  for (const delayMs of TRANSIENT_RETRY_DELAYS_MS) {
    try {
      return await work();
    } catch (error) {
      if (!isApiError(error) || !error.transient) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
  return work();
}

import type { ApiError } from '@foreman/contracts';

/** A failed API call: the HTTP status and the API's error body (status 0 when the network failed). */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiError | null,
  ) {
    super(body?.message ?? (status === 0 ? 'The network request failed.' : `Request failed with status ${status}.`));
    this.name = 'ApiRequestError';
  }

  /** Worth retrying as is: no answer, or the server or a proxy in front of it failed. */
  get transient(): boolean {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

export function isApiError(error: unknown, status?: number): error is ApiRequestError {
  return error instanceof ApiRequestError && (status === undefined || error.status === status);
}

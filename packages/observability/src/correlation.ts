import { AsyncLocalStorage } from 'node:async_hooks';

const storage = new AsyncLocalStorage<string>();

/** Runs `work` with a correlation id that every log line and every event it writes will carry. */
export function runWithCorrelationId<T>(correlationId: string | undefined, work: () => T): T {
  return correlationId ? storage.run(correlationId, work) : work();
}

export function currentCorrelationId(): string | undefined {
  return storage.getStore();
}

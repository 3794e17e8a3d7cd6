import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { ConsumerName } from '@foreman/contracts';
import type { LocalEventHub } from '@foreman/messaging';

export interface ServiceSpec {
  name: 'api' | 'trainer' | 'scheduler';
  /** The service's compiled main.js: the same entry point production runs. */
  main: string;
  env: Record<string, string>;
  /** The queue it consumes in local mode. */
  consumer?: ConsumerName;
}

export interface ServiceWorker {
  name: ServiceSpec['name'];
  worker: Worker;
  /** Rejects when the worker ends before stop(): the service failed to start or crashed. */
  failed: Promise<never>;
  stop(): Promise<void>;
}

/**
 * Each service in its own worker thread, so a training never blocks the API's event loop. With
 * EVENT_TRANSPORT=local the worker's port is the service's link to the hub, which plays the exchange.
 */
export function startServiceWorker(spec: ServiceSpec, hub: LocalEventHub | null): ServiceWorker {
  if (!existsSync(spec.main)) {
    throw new Error(`${spec.main} is missing: build first (pnpm start builds everything it needs)`);
  }
  const worker = new Worker(spec.main, { env: spec.env, stdout: false, stderr: false });
  if (hub) hub.attach(worker, spec.consumer);
  let stopping = false;
  const failed = new Promise<never>((_, reject) => {
    worker.once('error', (error) => reject(new Error(`${spec.name} crashed: ${error.message}`)));
    worker.once('exit', (code) => {
      if (!stopping) reject(new Error(`${spec.name} stopped unexpectedly (exit code ${code})`));
    });
  });
  failed.catch(() => undefined); // observed by the launcher through `failed`
  return {
    name: spec.name,
    worker,
    failed,
    // The thread ends at once: open transactions roll back in PostgreSQL, and events not yet relayed stay
    // in the outbox for the next start.
    stop: async () => {
      stopping = true;
      await worker.terminate();
    },
  };
}

import { Worker } from 'node:worker_threads';
import { LocalEventHub } from '@foreman/messaging';
import type { ConsumerName } from '@foreman/contracts';

export interface ServiceSpec {
  name: 'api' | 'trainer' | 'scheduler';
  /** The service's compiled main.js: the same entry point production runs. */
  main: string;
  env: Record<string, string>;
  /** The queue it consumes in local mode. */
  consumer?: ConsumerName;
}

/**
 * Each service in its own worker thread, so a training never blocks the API's event loop. With
 * EVENT_TRANSPORT=local the worker's port is the service's link to the hub, which plays the exchange.
 */
export function startServiceWorker(spec: ServiceSpec, hub: LocalEventHub | null): Worker {
  const worker = new Worker(spec.main, { env: spec.env, stdout: false, stderr: false });
  if (hub) hub.attach(worker, spec.consumer);
  return worker;
}

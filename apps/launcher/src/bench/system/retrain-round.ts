/**
 * One retrain round, as a labeller causes it: label as many items as the project's retrain policy asks
 * for (served by the queue, answered with their true class), the last of them being the label that
 * triggers the retrain; then wait until the scheduler's queue.updated for the next model version is seen
 * on RabbitMQ. Every step in between is timed from the events the observer saw. Meanwhile
 * project_queue_state.applied_model_version is polled every 100 ms: it changes when the apply commits,
 * which is when labellers are served in the new order (queue.updated follows after the scheduler has
 * counted the items that moved).
 */
import { Client } from 'pg';
import type { ApiSession } from '../../harness/api-session';
import type { EventWatcher, ObservedEvent } from './event-watcher';

export interface RoundTiming {
  modelVersion: number;
  /** Submit response of the triggering label -> queue.updated observed: what the issue asks for. */
  totalMs: number;
  /** Submit response -> project_queue_state names the new version (polled every 100 ms): the commit. */
  untilAppliedMs: number;
  /** Submit response -> label.submitted observed (the API's outbox relay). */
  relayMs: number;
  /** label.submitted -> model.trained observed: the trainer's poll, then training. */
  untilTrainedMs: number;
  /** The trainer's own training time (reading the labels, fitting, evaluating, storing the version). */
  trainingMs: number;
  /** model.trained -> first ranking chunk observed: scoring the whole unlabelled pool. */
  scoringMs: number;
  /** First -> last ranking chunk observed. */
  chunkPublishingMs: number;
  chunks: number;
  itemsRanked: number;
  /** Last chunk -> queue.updated observed: the scheduler staging what is left, then applying. */
  stagingAndApplyMs: number;
  /** The apply transaction alone, as the scheduler reports it in queue.updated. */
  applyMs: number;
  /** Applied (polled) -> queue.updated observed: counting the moved items, publishing. */
  announceMs: number;
  itemsMoved: number;
  /** Labels submitted in the round, and their submit latency. */
  labels: number;
  submitMs: number[];
}

export async function retrainRound(options: {
  api: ApiSession;
  watcher: EventWatcher;
  databaseUrl: string;
  projectId: string;
  trueClass: (externalId: string) => string;
  labels: number;
  /** The model version the queue follows now (0: none yet). */
  appliedVersion: number;
  timeoutMs: number;
}): Promise<RoundTiming> {
  const { api, watcher, projectId } = options;
  const submitMs: number[] = [];
  let triggerItemId = 0;
  let submittedAt = 0;
  for (let i = 0; i < options.labels; i++) {
    const served = await api.next(projectId);
    if (served.status !== 'item') throw new Error(`the queue served nothing after ${i} labels`);
    const started = Date.now();
    await api.label(served.item.id, options.trueClass(served.item.externalId), served.lease.id);
    submittedAt = Date.now();
    submitMs.push(submittedAt - started);
    triggerItemId = served.item.id;
  }

  const applied = pollAppliedVersion(options.databaseUrl, projectId, options.appliedVersion);
  applied.catch(() => undefined); // awaited below; a failed round must not also report it unhandled
  const ofProject = (type: string) => (event: ObservedEvent) =>
    event.projectId === projectId && event.type === type;
  const updated = await watcher.waitFor(
    `queue.updated after model v${options.appliedVersion}`,
    (event) =>
      ofProject('queue.updated.v1')(event) && Number(event.payload.modelVersion) > options.appliedVersion,
    options.timeoutMs,
  );
  const appliedAt = await applied;
  const version = Number(updated.payload.modelVersion);
  const find = (what: string, test: (event: ObservedEvent) => boolean) => {
    const found = watcher.events.filter(test);
    if (found.length === 0) throw new Error(`${what} was not observed`);
    return found;
  };
  const [submitted] = find('the triggering label.submitted', (event) =>
    ofProject('label.submitted.v1')(event) && event.payload.itemId === triggerItemId,
  );
  const [trained] = find(`model.trained v${version}`, (event) =>
    ofProject('model.trained.v1')(event) && event.payload.modelVersion === version,
  );
  const chunks = find(`ranking.computed v${version}`, (event) =>
    ofProject('ranking.computed.v1')(event) && event.payload.modelVersion === version,
  );
  const firstChunk = Math.min(...chunks.map((event) => event.observedAt));
  const lastChunk = Math.max(...chunks.map((event) => event.observedAt));
  return {
    modelVersion: version,
    totalMs: updated.observedAt - submittedAt,
    untilAppliedMs: appliedAt - submittedAt,
    relayMs: submitted!.observedAt - submittedAt,
    untilTrainedMs: trained!.observedAt - submitted!.observedAt,
    trainingMs: Number(trained!.payload.trainingMs),
    scoringMs: firstChunk - trained!.observedAt,
    chunkPublishingMs: lastChunk - firstChunk,
    chunks: chunks.length,
    itemsRanked: chunks.reduce((sum, event) => sum + Number(event.payload.itemCount), 0),
    stagingAndApplyMs: updated.observedAt - lastChunk,
    applyMs: Number(updated.payload.durationMs),
    announceMs: updated.observedAt - appliedAt,
    itemsMoved: Number(updated.payload.itemsMoved),
    labels: submitMs.length,
    submitMs,
  };
}

/**
 * Date.now() when project_queue_state first names a version above `after`; gives up after 30 minutes (the
 * round's own wait for queue.updated times out well before).
 */
async function pollAppliedVersion(databaseUrl: string, projectId: string, after: number): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const deadline = Date.now() + 30 * 60_000;
    while (Date.now() < deadline) {
      const { rows } = await client.query<{ version: number | null }>(
        `SELECT applied_model_version AS version FROM project_queue_state WHERE project_id = $1`,
        [projectId],
      );
      if ((rows[0]?.version ?? 0) > after) return Date.now();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`project_queue_state did not move past model v${after}`);
  } finally {
    await client.end();
  }
}

import { Counter, Gauge, Histogram } from 'prom-client';

/**
 * The scheduler's Prometheus metrics, on the default registry that /metrics serves. Created once per
 * process (prom-client refuses a second metric of the same name).
 */
export const schedulerMetrics = {
  leasesExpired: new Counter({
    name: 'foreman_scheduler_leases_expired_total',
    help: 'Expired leases the sweeper released back to the queue',
  }),
  leasesLive: new Gauge({
    name: 'foreman_scheduler_leases_live',
    help: 'Leases held by labellers after the last sweep',
  }),
  quotaRepairs: new Counter({
    name: 'foreman_scheduler_quota_repairs_total',
    help: 'Items whose remaining_labels were corrected to match their live labels and labels_per_item',
  }),
  rankingChunks: new Counter({
    name: 'foreman_scheduler_ranking_chunks_total',
    help: 'Ranking chunks received, by outcome',
    labelNames: ['outcome'] as const,
  }),
  rankingApplySeconds: new Histogram({
    name: 'foreman_scheduler_ranking_apply_seconds',
    help: 'Time to apply a complete ranking to the queue, in one transaction',
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 20, 30, 60],
  }),
};

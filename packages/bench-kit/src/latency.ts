/** Rounds to one decimal, the precision every benchmark reports milliseconds and seconds in. */
export const roundToTenth = (value: number): number => Math.round(value * 10) / 10;

/**
 * The q-quantile (0 ≤ q ≤ 1) of ascending `sorted` samples: the sample at index floor(q · n), capped at
 * the last one, with no interpolation (so p50 of [1, 2, 3, 4] is 3). Undefined when there are no samples.
 */
export function percentile(sorted: readonly number[], q: number): number | undefined {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Count, p50, p95, p99 and max of `samples` (see `percentile`), rounded to 0.1; all 0 when empty. */
export function latencySummary(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => roundToTenth(percentile(sorted, q) ?? 0);
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) };
}

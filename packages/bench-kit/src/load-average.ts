import { loadavg } from 'node:os';

/** The machine's 1-minute load average, rounded to `decimals` places: context for every benchmark run. */
export function loadAverage(decimals = 1): number {
  const scale = 10 ** decimals;
  return Math.round((loadavg()[0] ?? 0) * scale) / scale;
}

export { latencySummary, percentile, roundToTenth, type LatencySummary } from './latency';
export { loadAverage } from './load-average';
export { replaceMarkedSection, writeBenchmarkResults, type BenchmarkSection } from './results';

export { latencySummary, percentile, roundToTenth, type LatencySummary } from './latency';
export { loadAverage } from './load-average';
export { exitedChildrenCpuMs, processCpuMs } from './process-cpu';
export { replaceMarkedSection, writeBenchmarkResults, type BenchmarkSection } from './results';

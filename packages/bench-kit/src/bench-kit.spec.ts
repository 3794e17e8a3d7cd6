import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { latencySummary, percentile } from './latency';
import { processCpuMs } from './process-cpu';
import { replaceMarkedSection, writeBenchmarkResults } from './results';

describe('percentile', () => {
  it('takes the sample at floor(q · n), without interpolation, capped at the last', () => {
    const sorted = [1, 2, 3, 4];
    expect(percentile(sorted, 0.5)).toBe(3);
    expect(percentile(sorted, 0.99)).toBe(4);
    expect(percentile(sorted, 1)).toBe(4);
    expect(percentile([], 0.5)).toBeUndefined();
  });

  it('summarises unsorted samples to one decimal', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i + 0.04);
    expect(latencySummary(samples)).toEqual({ count: 100, p50: 51, p95: 96, p99: 100, max: 100 });
    expect(latencySummary([])).toEqual({ count: 0, p50: 0, p95: 0, p99: 0, max: 0 });
  });
});

describe('replaceMarkedSection', () => {
  const section = { marker: 'api:x', markdown: '## X\nnew' };

  it('replaces only the marked section, keeping the others', () => {
    const text = '# Benchmarks\n\n<!-- api:x -->\n## X\nold\n<!-- /api:x -->\n\n<!-- y -->\nY\n<!-- /y -->\n';
    expect(replaceMarkedSection(text, section)).toBe(
      '# Benchmarks\n\n<!-- api:x -->\n## X\nnew\n<!-- /api:x -->\n\n<!-- y -->\nY\n<!-- /y -->\n',
    );
  });

  it('appends the section after a blank line when it is missing', () => {
    expect(replaceMarkedSection('# Benchmarks\n\n', section)).toBe('# Benchmarks\n\n<!-- api:x -->\n## X\nnew\n<!-- /api:x -->\n');
  });
});

describe('writeBenchmarkResults', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'bench-kit-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('writes bench/results/<name>.json and the section of docs/benchmarks.md', () => {
    mkdirSync(join(root, 'docs'));
    writeFileSync(join(root, 'docs/benchmarks.md'), '# Benchmarks\n\n<!-- z -->\nold\n<!-- /z -->\n');
    writeBenchmarkResults({ name: 'z', results: { p50: 1.5 }, section: { marker: 'z', markdown: 'new' }, root });
    expect(JSON.parse(readFileSync(join(root, 'bench/results/z.json'), 'utf8'))).toEqual({ p50: 1.5 });
    expect(readFileSync(join(root, 'docs/benchmarks.md'), 'utf8')).toBe('# Benchmarks\n\n<!-- z -->\nnew\n<!-- /z -->\n');
  });
});

describe('processCpuMs', () => {
  it('adds up the CPU time of the processes with that command name, growing as they work', () => {
    const command = readFileSync('/proc/self/comm', 'utf8').trim();
    const before = processCpuMs(command);
    const until = Date.now() + 300;
    while (Date.now() < until); // busy: this process's own CPU time grows by about 300 ms
    const used = processCpuMs(command) - before;
    expect(used).toBeGreaterThanOrEqual(200);
    expect(processCpuMs('no-such-command')).toBe(0);
  });
});

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { latencySummary, percentile } from './latency';
import { exitedChildrenCpuMs, processCpuMs } from './process-cpu';
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

describe('processCpuMs and exitedChildrenCpuMs', () => {
  // A busy process under a command name nothing else on the machine has.
  const command = `cpuprobe${process.pid}`.slice(0, 15);
  const executable = join(tmpdir(), command);
  // Busy until it has used 300 ms of CPU, however long a loaded machine takes to give it that.
  const busy = [
    '-e',
    'const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; }; while (cpu() < 300);',
  ];

  beforeAll(() => symlinkSync(process.execPath, executable)); // (comm is the name it was started by)
  afterAll(() => rmSync(executable, { force: true }));

  it('adds up the CPU time of the processes with that command name', async () => {
    expect(processCpuMs(command)).toBe(0);
    const child = spawn(executable, busy);
    let exited = false;
    child.on('exit', () => (exited = true));
    let most = 0;
    while (!exited) {
      most = Math.max(most, processCpuMs(command));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(most).toBeGreaterThanOrEqual(150);
  }, 30_000);

  it("counts this process's children once they have exited", () => {
    const before = exitedChildrenCpuMs();
    spawnSync(executable, busy);
    // (less a tick or two: /proc counts whole 10 ms ticks)
    expect(exitedChildrenCpuMs() - before).toBeGreaterThanOrEqual(280);
  });
});

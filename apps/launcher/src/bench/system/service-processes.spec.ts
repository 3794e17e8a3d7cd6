import { spawn } from 'node:child_process';
import { memoryOf, processTree } from './service-processes';

describe('memoryOf', () => {
  it("reads this process's peak and current resident set from /proc, peak never below current", () => {
    const memory = memoryOf(process.pid);
    expect(memory).not.toBeNull();
    expect(memory!.rssMiB).toBeGreaterThan(10);
    expect(memory!.peakMiB).toBeGreaterThanOrEqual(memory!.rssMiB);
  });

  it('is null for a process that has gone', async () => {
    const child = spawn('true');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(memoryOf(child.pid!)).toBeNull();
  });
});

describe('processTree', () => {
  it('includes the children of a process, and only the process itself when it has none', async () => {
    const child = spawn('sleep', ['5']);
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      expect(processTree(process.pid)).toEqual(expect.arrayContaining([process.pid, child.pid]));
      expect(processTree(child.pid!)).toEqual([child.pid]);
    } finally {
      child.kill();
    }
  });
});

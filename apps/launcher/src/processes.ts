import { execFileSync } from 'node:child_process';

/** The command line of a running process, or null when there is none. */
export function processCommand(pid: number): string | null {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to another user (the postgres user, when not root).
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return null;
  }
  try {
    return execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { stdio: 'pipe' })
      .toString()
      .trim();
  } catch {
    return null; // ps exits 1 when the process is gone
  }
}

/** Waits until the process is gone; false when it is still there after `timeoutMs`. */
export async function waitForProcessExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (processCommand(pid) !== null) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

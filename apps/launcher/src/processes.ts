import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

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

/**
 * When a process started, as text that differs for another process given the same PID later (after a
 * reboot, or in a restarted container); null when there is no such process. On Linux: the boot's id and
 * the start in clock ticks since boot, which a change of the clock leaves alone. Elsewhere: ps's start
 * time, in one locale and time zone so that every launcher prints it alike.
 */
export function processStartTime(pid: number): string | null {
  if (process.platform === 'linux') {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Field 22; the command name (field 2, in parentheses) may itself hold spaces and parentheses.
      const startTicks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
      const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
      return startTicks ? `${bootId} ${startTicks}` : null;
    } catch {
      return null;
    }
  }
  try {
    const started = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], {
      stdio: 'pipe',
      // eslint-disable-next-line no-restricted-properties -- ps is found on the shell's PATH, not a setting
      env: { PATH: process.env.PATH, LC_ALL: 'C', TZ: 'UTC' },
    });
    return started.toString().trim() || null;
  } catch {
    return null;
  }
}

import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (USER_HZ; 100 on every Linux this runs on). */
const TICKS_PER_SECOND = 100;

interface ProcessCpu {
  command: string;
  /** The process's own user + system time, ms. */
  ownMs: number;
  /** Its children's that have exited and been waited for, ms. */
  exitedChildrenMs: number;
}

/** Reads /proc/<pid>/stat: "pid (comm) state …" with utime, stime, cutime, cstime as fields 14-17. */
function readProcessCpu(pid: string): ProcessCpu {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // comm may hold spaces and parentheses: the fields start after its last ')'.
  const close = stat.lastIndexOf(')');
  const fields = stat.slice(close + 2).split(' ');
  const ms = (index: number) => (Number(fields[index]) * 1000) / TICKS_PER_SECOND;
  return {
    command: stat.slice(stat.indexOf('(') + 1, close),
    ownMs: ms(11) + ms(12),
    exitedChildrenMs: ms(13) + ms(14),
  };
}

/**
 * CPU time (ms, user + system) used so far by every process whose command name is `command` (as in
 * /proc/<pid>/comm: "postgres", "beam.smp"), with their exited children's — so the PostgreSQL backends
 * of connections closed meanwhile still count, through the postmaster. Linux only; 0 elsewhere. Compare
 * two readings around a run.
 */
export function processCpuMs(command: string): number {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return 0;
  }
  let total = 0;
  for (const pid of pids) {
    try {
      const cpu = readProcessCpu(pid);
      if (cpu.command === command) total += cpu.ownMs + cpu.exitedChildrenMs;
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return total;
}

/** CPU time (ms) of this process's children that have exited and been waited for (a finished pgbench, say). */
export function exitedChildrenCpuMs(): number {
  return readProcessCpu('self').exitedChildrenMs;
}

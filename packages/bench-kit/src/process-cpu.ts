import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (USER_HZ; 100 on every Linux this runs on). */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (ms, user + system) used so far by every process whose command name is `command` (as in
 * /proc/<pid>/comm: "postgres", "beam.smp"), including their children that have exited and been waited
 * for — so the PostgreSQL backends of connections closed meanwhile still count, through the postmaster.
 * Linux only; 0 elsewhere. Compare two readings around a run.
 */
export function processCpuMs(command: string): number {
  let ticks = 0;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return 0;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after its last ')'.
      const open = stat.indexOf('(');
      const close = stat.lastIndexOf(')');
      if (stat.slice(open + 1, close) !== command) continue;
      const fields = stat.slice(close + 2).split(' ');
      // fields[0] is field 3 (state): utime, stime, cutime, cstime are fields 14-17.
      for (const index of [11, 12, 13, 14]) ticks += Number(fields[index]);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** CPU time (ms) of this process's children that have exited and been waited for (a finished pgbench, say). */
export function exitedChildrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS_PER_SECOND;
}

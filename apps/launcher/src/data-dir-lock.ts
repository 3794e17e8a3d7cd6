import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processStartTime } from './processes';

/** In the data directory: the PID of the launcher using it, and when that process started. */
export const LOCK_FILE = 'launcher.pid';

/**
 * Makes this launcher the only one on `dataDir` until it exits, or throws naming the one that is. A second
 * launcher would otherwise take the first one's PostgreSQL and site for leftovers and stop them.
 *
 * A launcher that was killed leaves the file behind; it is stale, and taken over, once its PID is gone or
 * belongs to a process that started at another time (a PID reused after a reboot or in a container).
 */
export function lockDataDir(dataDir: string): void {
  const lockFile = join(dataDir, LOCK_FILE);
  const owner = `${process.pid}\n${processStartTime(process.pid)}\n`;
  for (;;) {
    try {
      writeFileSync(lockFile, owner, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const running = runningLauncher(lockFile);
    if (running !== null) {
      throw new Error(
        `Foreman is already running on ${dataDir} (PID ${running}): stop it first (Ctrl-C where it runs, ` +
          `or kill ${running}), or give this start a DATA_DIR of its own`,
      );
    }
    rmSync(lockFile, { force: true });
  }
  process.on('exit', () => {
    // Only while it is still this launcher's: never another's that took over a file removed by hand.
    if (readOrNull(lockFile) === owner) rmSync(lockFile, { force: true });
  });
}

/** The PID of the launcher the lock file names, or null when that launcher is gone (or the file is unreadable). */
function runningLauncher(lockFile: string): number | null {
  const [pidText, startTime] = (readOrNull(lockFile) ?? '').split('\n');
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || !startTime) return null;
  return processStartTime(pid) === startTime ? pid : null;
}

function readOrNull(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

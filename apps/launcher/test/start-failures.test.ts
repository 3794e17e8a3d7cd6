import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCK_FILE } from '../src/data-dir-lock';
import {
  freePorts,
  launcherSettings,
  startLauncher,
  type LauncherPorts,
} from '../src/harness/launcher-process';

describe('the start command when it cannot start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'foreman-launcher-fail-'));
  let ports: LauncherPorts;
  let squatter: Server;
  const settings = () => launcherSettings(dataDir, ports, { site: false });

  afterAll(async () => {
    await new Promise((done) => squatter?.close(done));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('names the setting of a port in use, and starts nothing', async () => {
    ports = await freePorts();
    squatter = createServer();
    await new Promise<void>((done) => squatter.listen(ports.api, done));

    const failure = startLauncher(settings());
    await expect(failure).rejects.toThrow(/exited with code 1 before it was ready/);
    await expect(failure).rejects.toThrow(
      new RegExp(`port ${ports.api} \\(API_PORT\\) is in use by another program.*API_PORT=${ports.api + 1}`),
    );
    // It stopped before PostgreSQL: no cluster was created.
    expect(readdirSync(dataDir)).not.toContain('postgres');
  });

  it('takes over the lock of a launcher whose PID now belongs to another process', async () => {
    // This test's own process: alive, but it started at another time than the file says.
    writeFileSync(join(dataDir, LOCK_FILE), `${process.pid}\nanother start time\n`);
    // The port still in use makes it give up right after the lock, as above.
    const failure = await startLauncher(settings()).catch((error: Error) => error.message);
    expect(failure).not.toMatch(/already running/);
    expect(failure).toMatch(/\(API_PORT\) is in use/);
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false); // released on exit
  });

  it('lists every bad setting at once', async () => {
    const failure = startLauncher({ DATA_DIR: dataDir, API_PORT: 'eighty', DATABASE_URL: 'localhost/db' });
    await expect(failure).rejects.toThrow(/Invalid configuration/);
    await expect(failure).rejects.toThrow(/- API_PORT: .*"eighty"/);
    await expect(failure).rejects.toThrow(/- DATABASE_URL: expected a PostgreSQL URL/);
  });
});

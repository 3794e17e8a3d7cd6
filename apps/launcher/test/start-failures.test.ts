import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts, startLauncher } from '../src/harness/launcher-process';

describe('the start command when it cannot start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'foreman-launcher-fail-'));
  let squatter: Server;

  afterAll(async () => {
    await new Promise((done) => squatter?.close(done));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('names the setting of a port in use, and starts nothing', async () => {
    const ports = await freePorts();
    squatter = createServer();
    await new Promise<void>((done) => squatter.listen(ports.api, done));

    const failure = startLauncher({
      DATA_DIR: dataDir,
      EMBEDDED_POSTGRES_PORT: String(ports.postgres),
      API_PORT: String(ports.api),
      TRAINER_PORT: String(ports.trainer),
      SCHEDULER_PORT: String(ports.scheduler),
      START_FRONTEND: 'false',
    });
    await expect(failure).rejects.toThrow(/exited with code 1 before it was ready/);
    await expect(failure).rejects.toThrow(
      new RegExp(`port ${ports.api} \\(API_PORT\\) is in use by another program.*API_PORT=${ports.api + 1}`),
    );
    // It stopped before PostgreSQL: no cluster was created.
    expect(readdirSync(dataDir)).not.toContain('postgres');
  });

  it('lists every bad setting at once', async () => {
    const failure = startLauncher({ DATA_DIR: dataDir, API_PORT: 'eighty', DATABASE_URL: 'localhost/db' });
    await expect(failure).rejects.toThrow(/Invalid configuration/);
    await expect(failure).rejects.toThrow(/- API_PORT: .*"eighty"/);
    await expect(failure).rejects.toThrow(/- DATABASE_URL: expected a PostgreSQL URL/);
  });
});

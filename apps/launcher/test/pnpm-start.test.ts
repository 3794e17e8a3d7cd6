import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts, launcherSettings, processTree, startLauncher } from '../src/harness/launcher-process';
import { processCommand, waitForProcessExit } from '../src/processes';

/**
 * `pnpm start` itself (the other tests run the launcher's node process): a supervisor or a script stops it
 * with a SIGTERM to pnpm's process, which pnpm passes on to the command it runs; Ctrl-C in a terminal
 * signals every process of the group.
 */
describe('pnpm start', () => {
  jest.setTimeout(150_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'foreman-launcher-pnpm-'));
  /** pnpm and every process below it while each system ran. */
  const started: number[] = [];

  afterAll(async () => {
    // Any launcher that outlived pnpm is stopped (it stops the rest), so nothing outlives the test.
    for (const pid of started) {
      if (!processCommand(pid)?.includes('launcher/dist/main.js')) continue;
      process.kill(pid, 'SIGINT');
      await waitForProcessExit(pid, 30_000);
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async () => {
    const ports = await freePorts();
    const launcher = await startLauncher(launcherSettings(dataDir, ports, { site: false }), {
      command: 'pnpm start',
    });
    const processes = processTree(launcher.process.pid!);
    started.push(...processes);
    const running = () => processes.map(processCommand).filter((command) => command !== null);
    return { launcher, ports, processes, running };
  };

  it('stops the launcher, its services and PostgreSQL on a SIGTERM to pnpm', async () => {
    const { launcher, ports, running } = await start();
    expect(running().join('\n')).toMatch(/launcher\/dist\/main\.js[\s\S]*postgres/);

    const code = await launcher.stop('SIGTERM');
    expect(running()).toEqual([]);
    expect(code).toBe(0);
    expect(launcher.output()).toMatch(/Foreman stopped\./);
    expect(await fetch(`http://127.0.0.1:${ports.api}/health`).catch(() => 'refused')).toBe('refused');
  });

  it('stops once on Ctrl-C in a terminal, which pnpm passes on to the launcher as well', async () => {
    const { launcher, processes, running } = await start();
    // The terminal signals the launcher, and pnpm, which passes its copy on to the launcher a moment later.
    // Here pnpm's comes 20 ms after (sent together, the kernel may merge the two before the launcher sees
    // either); stopping takes the launcher longer than that, so pnpm's script is still running then.
    const node = processes.find((pid) => processCommand(pid)?.includes('launcher/dist/main.js'));
    const exited = new Promise((done) => launcher.process.once('exit', done));
    process.kill(node!, 'SIGINT');
    await new Promise((done) => setTimeout(done, 20));
    process.kill(launcher.process.pid!, 'SIGINT');
    const code = await exited;
    expect(running()).toEqual([]);
    expect(code).toBe(0);
    expect(launcher.output()).toMatch(/Foreman stopped\./);
    expect(launcher.output()).not.toMatch(/still stopping/);
  });
});

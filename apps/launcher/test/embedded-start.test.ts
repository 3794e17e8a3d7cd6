import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { LOCK_FILE } from '../src/data-dir-lock';
import { ApiSession, digitsOracle, eventually, labelWithOracle } from '../src/harness/api-session';
import {
  freePorts,
  launcherSettings,
  postgresProcessesOn,
  printedPassword,
  startLauncher,
  type LauncherPorts,
  type RunningLauncher,
} from '../src/harness/launcher-process';

/**
 * The start command from a fresh data directory, as a new user runs it: embedded PostgreSQL, in-process
 * events, the digits demo and the site; then a second start on the same data.
 */
describe('the start command, embedded (no DATABASE_URL, no AMQP_URL)', () => {
  jest.setTimeout(150_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'foreman-launcher-'));
  const trueClass = digitsOracle();
  let ports: LauncherPorts;
  let launcher: RunningLauncher | null = null;

  const settings = () => launcherSettings(dataDir, ports, { site: true });
  const apiUrl = () => `http://127.0.0.1:${ports.api}`;

  beforeAll(async () => {
    ports = await freePorts();
  });

  afterAll(async () => {
    await launcher?.stop('SIGINT');
    rmSync(dataDir, { recursive: true, force: true });
  });

  let projectId: string;
  let labelled: number[] = [];
  let adminPassword: string;

  it('starts everything, serves the site and prints how to sign in', async () => {
    launcher = await startLauncher(settings());
    const output = launcher.output();
    expect(output).toMatch(/✓ embedded PostgreSQL/);
    expect(output).toMatch(/✓ api on port/);
    expect(output).toMatch(/✓ trainer on port/);
    expect(output).toMatch(/✓ scheduler on port/);
    expect(output).toMatch(/✓ site on port/);
    expect(output).toContain(`http://localhost:${ports.frontend}`);
    console.log(
      `start command to site answering: ${launcher.secondsToReady.toFixed(1)} s ` +
        `(the launcher printed ${launcher.reportedSeconds} s; fresh data directory)`,
    );

    const site = await fetch(`http://127.0.0.1:${ports.frontend}/`);
    expect(site.status).toBe(200);
    // The site reaches the API it was started with (its /api proxy answers with the API's 401).
    const proxied = await fetch(`http://127.0.0.1:${ports.frontend}/api/auth/me`);
    expect(proxied.status).toBe(401);
    adminPassword = printedPassword(launcher);
  });

  it('keeps the API, trainer and scheduler to this machine: only the site answers on the network', async () => {
    const address = networkAddress();
    if (!address) {
      console.warn('skipped: this machine has no non-loopback IPv4 address to connect to');
      return;
    }
    const reachable = async (port: number) => ({ port, answers: await acceptsConnection(address, port) });
    expect(await reachable(ports.frontend)).toEqual({ port: ports.frontend, answers: true });
    for (const port of [ports.api, ports.trainer, ports.scheduler]) {
      expect(await reachable(port)).toEqual({ port, answers: false });
    }
    // Still there for the site and the launcher, on loopback.
    expect((await fetch(`${apiUrl()}/health`)).status).toBe(200);
  });

  it('refuses a second start on the same data directory and leaves the first one running', async () => {
    const failure = await startLauncher({ ...settings(), START_FRONTEND: 'false' }).catch(
      (error: Error) => error.message,
    );
    expect(failure).toMatch(
      new RegExp(
        `Foreman is already running on ${dataDir} \\(PID ${launcher!.process.pid}\\): stop it first`,
      ),
    );
    expect(failure).not.toMatch(/stopping the (PostgreSQL|site)/);

    // Untouched: still running, its PostgreSQL and site still there (its own failure would show by now:
    // the refused start has exited).
    expect(launcher!.process.exitCode).toBeNull();
    expect(launcher!.output()).not.toMatch(/stopped unexpectedly|Foreman is stopping/);
    expect(postgresProcessesOn(dataDir)).toHaveLength(1);
    expect((await fetch(`http://127.0.0.1:${ports.frontend}/`)).status).toBe(200);
    expect((await fetch(`${apiUrl()}/health`)).status).toBe(200);
  });

  it('counts sign-in attempts through the site per browser, not as one address for everyone', async () => {
    const signIn = (from: string, password: string) =>
      fetch(`http://127.0.0.1:${ports.frontend}/api/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
        body: JSON.stringify({ email: launcher!.adminEmail, password }),
      });
    // (this test's requests come from this machine, whose own X-Forwarded-For the API may believe)
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await signIn('203.0.113.9', `guess ${attempt}`)).status).toBe(401);
    }
    expect((await signIn('203.0.113.9', adminPassword)).status).toBe(429);
    expect((await signIn('198.51.100.7', adminPassword)).status).toBe(200);
  });

  it('signs the admin in and labels 30 demo digits, served in import order before any model', async () => {
    const api = await ApiSession.signIn(apiUrl(), launcher!.adminEmail, adminPassword);
    const demo = await eventually('the "Digits (demo)" project', async () =>
      (await api.projects()).find((project) => project.name === 'Digits (demo)'),
    );
    projectId = demo.id;
    expect((await api.progress(projectId)).total).toBe(1797);

    labelled = await labelWithOracle(api, projectId, trueClass, 30);
    // No model yet: the queue serves items in import order (ids ascending).
    expect(labelled).toEqual([...labelled].sort((a, b) => a - b));
    expect((await api.progress(projectId)).fullyLabelled).toBe(30);
  });

  it('shows no links to a RabbitMQ or an adminer it does not run', async () => {
    const api = await ApiSession.signIn(apiUrl(), launcher!.adminEmail, adminPassword);
    for (const page of [`/projects/${projectId}`, `/projects/${projectId}/settings`]) {
      const response = await fetch(`http://127.0.0.1:${ports.frontend}${page}`, {
        headers: { cookie: api.cookie },
      });
      const html = await response.text();
      expect({ page, status: response.status }).toEqual({ page, status: 200 });
      expect(html).toContain('Digits (demo)');
      expect(html.match(/RabbitMQ management|Adminer|:15672|:8080/g) ?? []).toEqual([]);
    }
  });

  it('trains a model on those labels, and the queue order changes', async () => {
    const api = await ApiSession.signIn(apiUrl(), launcher!.adminEmail, adminPassword);
    const models = await eventually(
      'a model version after 30 labels',
      async () => {
        const versions = await api.models(projectId);
        return versions.length > 0 ? versions : null;
      },
      60_000,
    );
    // Labels reached the trainer (it trains every 10 labels, or 30 s after the last training).
    expect(Math.max(...models.map((model) => model.labelCount))).toBeGreaterThan(0);
    // TensorFlow.js trains inside the trainer's worker thread on a real backend (wasm here).
    expect(models[0]!.backend).toMatch(/^(wasm|tensorflow)$/);

    // The scheduler applies the trained model's ranking; the next answer then says which model ranked it.
    const ranked = await eventually(
      'an item ranked by a model version',
      async () => {
        const next = await api.next(projectId);
        if (next.status !== 'item') throw new Error('the queue is empty');
        if (next.reason.modelVersion !== null) return next;
        // Not ranked yet: label it (an oracle labeller keeps working meanwhile) and ask again.
        await api.label(next.item.id, trueClass(next.item.externalId), next.lease.id);
        labelled.push(next.item.id);
        return null;
      },
      60_000,
    );
    expect(ranked.reason.modelVersion).toBeGreaterThanOrEqual(1);

    // Served order now differs from import order: the next items are not simply the lowest ids left.
    const served = await labelWithOracle(api, projectId, trueClass, 10, ranked);
    const importOrder = lowestUnlabelled(new Set(labelled), Math.min(...labelled), served.length);
    expect(served).not.toEqual(importOrder);
    labelled.push(...served);
  });

  it('stops on Ctrl-C with PostgreSQL shut down, and a second start finds the labels', async () => {
    const code = await launcher!.stop('SIGINT');
    expect({ code, output: launcher!.output() }).toMatchObject({ code: 0 });
    expect(launcher!.output()).toMatch(/✓ PostgreSQL/);
    expect(launcher!.output()).toMatch(/Foreman stopped\./);
    expect(postgresProcessesOn(dataDir)).toEqual([]);
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);

    launcher = await startLauncher({ ...settings(), START_FRONTEND: 'false' });
    expect(launcher.output()).not.toMatch(/creating a new database cluster/);
    expect(launcher.adminPassword).toBe(adminPassword);
    console.log(`second start (same data, no site): ${launcher.secondsToReady.toFixed(1)} s`);

    const api = await ApiSession.signIn(apiUrl(), launcher.adminEmail, adminPassword);
    const projects = (await api.projects()).filter((project) => project.name === 'Digits (demo)');
    expect(projects).toHaveLength(1); // not seeded twice
    const progress = await api.progress(projectId);
    expect(progress.total).toBe(1797);
    expect(progress.fullyLabelled).toBe(labelled.length);
    expect(progress.labellers.find((labeller) => labeller.labels > 0)?.labels).toBe(labelled.length);
    expect((await api.models(projectId)).length).toBeGreaterThan(0);
  });

  it('stops printing the first admin password once the admin changed it on the site', async () => {
    const api = await ApiSession.signIn(apiUrl(), launcher!.adminEmail, adminPassword);
    await api.call('POST', '/auth/password', {
      currentPassword: adminPassword,
      newPassword: 'a passphrase of my own',
    });
    await launcher!.stop('SIGINT');
    launcher = await startLauncher({ ...settings(), START_FRONTEND: 'false' });
    expect(launcher.adminPassword).toBeNull();
    expect(launcher.output()).toContain(
      `sign in as ${launcher.adminEmail} with the password set on the site (the one first given no longer works)`,
    );
  });

  it('recovers when the launcher was killed: the next start stops the PostgreSQL it left running', async () => {
    await launcher!.stop('SIGKILL');
    launcher = null;
    expect(postgresProcessesOn(dataDir)).toHaveLength(1); // orphaned, holding the data directory

    // A port in use makes this start give up right after its checks: cheaper than a whole start, and
    // the leftover server has been dealt with by then.
    const squatter = createServer();
    await new Promise<void>((done) => squatter.listen(ports.api, done));
    try {
      await expect(startLauncher({ ...settings(), START_FRONTEND: 'false' })).rejects.toThrow(
        /stopping the PostgreSQL \(PID \d+\) left running by an earlier start[\s\S]*API_PORT/,
      );
    } finally {
      await new Promise((done) => squatter.close(done));
    }
    expect(postgresProcessesOn(dataDir)).toEqual([]);
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  });
});

/** The demo's item ids are consecutive in import order from `firstId`; the `count` lowest not in `done`. */
function lowestUnlabelled(done: Set<number>, firstId: number, count: number): number[] {
  const result: number[] = [];
  for (let id = firstId; result.length < count; id++) if (!done.has(id)) result.push(id);
  return result;
}

/** An IPv4 address of this machine other than loopback, or undefined when it has none. */
function networkAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)?.address;
}

/** Whether something accepts a TCP connection on `host`:`port` (false: refused). */
function acceptsConnection(host: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNREFUSED' ? resolve(false) : reject(error),
    );
  });
}

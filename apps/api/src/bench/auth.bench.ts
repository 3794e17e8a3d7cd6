/**
 * Benchmark: what accounts cost. The argon2 work behind each sign-in (and each unknown-email attempt),
 * sign-ins over HTTP one at a time and eight at a time, and the price of authenticating every request:
 * GET /auth/me with a session cookie and with a bearer API token (one indexed lookup each).
 *
 * Runs the real API in-process on a throw-away database and RabbitMQ vhost. Writes
 * bench/results/api-auth.json and the "api:auth" section of docs/benchmarks.md.
 */
import { latencySummary, loadAverage, roundToTenth as round, writeBenchmarkResults } from '@foreman/bench-kit';
import type { TestDatabase } from '@foreman/database/testing';
import type { TestVhost } from '@foreman/messaging/testing';
import { createApiApp } from '../bootstrap';
import { loadApiConfig } from '../config/env';
import { PasswordHasher } from '../modules/users/password-hasher';
import { withScratchSystem } from './scratch-system';

const EMAIL = 'bench@example.org';
const PASSWORD = 'a bench passphrase of some length';
const SIGN_INS = 40;
const REQUESTS = 3000;
const CONCURRENCY = 16;

interface Latency {
  requests: number;
  perSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

function summarise(durations: number[], wallMs: number): Latency {
  const { count, p50, p95, p99 } = latencySummary(durations);
  return { requests: count, perSecond: round((count / wallMs) * 1000), p50Ms: p50, p95Ms: p95, p99Ms: p99 };
}

/** `total` calls of `call`, `concurrency` at a time; each must succeed. */
async function measure(total: number, concurrency: number, call: () => Promise<Response>): Promise<Latency> {
  const durations: number[] = [];
  let started = 0;
  const wallStart = performance.now();
  const worker = async () => {
    while (started < total) {
      started += 1;
      const t0 = performance.now();
      const response = await call();
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`unexpected ${response.status}`);
      durations.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return summarise(durations, performance.now() - wallStart);
}

async function timeEach(times: number, work: () => Promise<unknown>): Promise<number> {
  const durations: number[] = [];
  for (let i = 0; i < times; i += 1) {
    const t0 = performance.now();
    await work();
    durations.push(performance.now() - t0);
  }
  return summarise(durations, 1).p50Ms;
}

const main = (): Promise<void> => withScratchSystem(runBench);

async function runBench(db: TestDatabase, vhost: TestVhost): Promise<void> {
  const config = loadApiConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: db.url,
    AMQP_URL: vhost.url,
    RUN_MIGRATIONS: 'false',
    ADMIN_EMAIL: EMAIL,
    ADMIN_PASSWORD: PASSWORD,
    SIGN_IN_ATTEMPTS_PER_MINUTE: '10000',
  });
  const app = await createApiApp(config);
  await app.listen(0, '127.0.0.1');
  const base = await app.getUrl();
  const loadAtStart = loadAverage();
  try {
    const hasher = app.get(PasswordHasher);
    const stored = await hasher.hash(PASSWORD);
    const hashMs = await timeEach(10, () => hasher.hash(PASSWORD));
    const verifyMs = await timeEach(20, () => hasher.verify(stored, PASSWORD));
    const unknownEmailVerifyMs = await timeEach(20, () => hasher.verify(null, PASSWORD));

    const signIn = () =>
      fetch(`${base}/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
      });
    const signInSequential = await measure(SIGN_INS, 1, signIn);
    const signInParallel = await measure(SIGN_INS, 8, signIn);

    const signedIn = await signIn();
    const cookie = signedIn.headers.getSetCookie()[0]!.split(';')[0]!;
    const created = await fetch(`${base}/api-tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ name: 'bench' }),
    });
    const { token } = (await created.json()) as { token: string };

    const meWithSession = await measure(REQUESTS, CONCURRENCY, () =>
      fetch(`${base}/auth/me`, { headers: { cookie } }),
    );
    const meWithToken = await measure(REQUESTS, CONCURRENCY, () =>
      fetch(`${base}/auth/me`, { headers: { authorization: `Bearer ${token}` } }),
    );

    const results = {
      date: new Date().toISOString(),
      machine: { cores: 2, loadAverage1m: { atStart: loadAtStart, atEnd: loadAverage() } },
      argon2: { hashMs, verifyMs, unknownEmailVerifyMs },
      signInSequential,
      signInParallel8: signInParallel,
      meWithSession,
      meWithToken,
    };
    console.log(JSON.stringify(results, null, 2));
    writeResults(results);
  } finally {
    await app.close();
  }
}

type Results = {
  date: string;
  machine: { loadAverage1m: { atStart: number; atEnd: number } };
  argon2: { hashMs: number; verifyMs: number; unknownEmailVerifyMs: number };
  signInSequential: Latency;
  signInParallel8: Latency;
  meWithSession: Latency;
  meWithToken: Latency;
};

function writeResults(results: Results): void {
  const row = (name: string, s: Latency) =>
    `| ${name} | ${s.requests} | ${s.perSecond} | ${s.p50Ms} | ${s.p95Ms} | ${s.p99Ms} |`;
  const markdown = [
    '## API: sign-in and authenticated requests',
    '',
    `\`pnpm --filter @foreman/api bench\` (${results.date.slice(0, 10)}), the API in-process over HTTP on 127.0.0.1.`,
    `argon2id (19 MiB, 2 passes): hash ${results.argon2.hashMs} ms, verify ${results.argon2.verifyMs} ms, and`,
    `${results.argon2.unknownEmailVerifyMs} ms for an unknown email (checked against a dummy hash, so it costs the same).`,
    'Raw numbers: `bench/results/api-auth.json`.',
    '',
    '| requests | count | per second | p50 (ms) | p95 (ms) | p99 (ms) |',
    '| --- | --- | --- | --- | --- | --- |',
    row('POST /auth/sign-in, one at a time', results.signInSequential),
    row('POST /auth/sign-in, 8 at a time', results.signInParallel8),
    row(`GET /auth/me with a session cookie, ${CONCURRENCY} at a time`, results.meWithSession),
    row(`GET /auth/me with a bearer API token, ${CONCURRENCY} at a time`, results.meWithToken),
    '',
    `Context: 1-minute load average ${results.machine.loadAverage1m.atStart} at the start and`,
    `${results.machine.loadAverage1m.atEnd} at the end on 2 cores shared with other work.`,
  ].join('\n');
  writeBenchmarkResults({ name: 'api-auth', results, section: { marker: 'api:auth', markdown } });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

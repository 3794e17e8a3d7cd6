/**
 * Fault drills (issue 10): the real API (in-process, over HTTP), the machine's PostgreSQL and RabbitMQ, and
 * simulated labellers whose clients retry every failed request with the same clientRequestId, as the
 * labelling page does. Each drill asserts that no label is lost or duplicated and that no item is served
 * to two labellers at once; the broker and database drills stop the machine's services, so they are not
 * part of the test run. Run: `pnpm --filter @foreman/api drills [labellers|api-restart|rabbitmq|postgres]`
 * (all four when none is named). Every drill restarts what it stopped, also on failure.
 * Outcomes are appended to bench/results/drills.json.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import * as amqp from 'amqplib';
import { DataSource } from 'typeorm';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { EVENTS_EXCHANGE, type NextItemResponse, type SubmitLabelResponse } from '@foreman/contracts';
import { applyQueueRanking } from '@foreman/database';
import type { TestDatabase } from '@foreman/database/testing';
import type { TestVhost } from '@foreman/messaging/testing';
import { withScratchSystem } from '../bench/scratch-system';
import { createApiApp } from '../bootstrap';
import { loadApiConfig } from '../config/env';
import { SESSION_COOKIE, hashSecretToken, newSecretToken } from '../modules/auth/secret-token';

const ROOT = join(__dirname, '../../../..');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Env {
  db: TestDatabase;
  vhost: TestVhost;
  app: NestExpressApplication;
  port: number;
}

async function startApi(
  db: TestDatabase,
  vhost: TestVhost,
  port = 0,
): Promise<{ app: NestExpressApplication; port: number }> {
  const app = await createApiApp(
    loadApiConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: db.url,
      AMQP_URL: vhost.url,
      RUN_MIGRATIONS: 'false',
    }),
  );
  await app.listen(port, '127.0.0.1');
  return { app, port: (app.getHttpServer().address() as AddressInfo).port };
}

/** The API on the drill's scratch database and vhost, with seed(). */
async function setUp(db: TestDatabase, vhost: TestVhost, items: number, labellers: number) {
  const env: Env = { db, vhost, ...(await startApi(db, vhost)) };
  try {
    return { env, ...(await seed(env, items, labellers)) };
  } catch (error) {
    await closeApi(env); // (the drill's own clean-up only starts once this has returned)
    throw error;
  }
}

/** A project of `items` one-label items and `labellers` members, each with a live session. */
async function seed(env: Env, items: number, labellers: number) {
  const sql = env.app.get(DataSource);
  const [{ id: projectId }] = await sql.query(
    `INSERT INTO projects (name, classes, input_kind, shape) VALUES ('drill', '{a,b}', 'vector', '{2}') RETURNING id`,
  );
  await sql.query(
    `INSERT INTO items (project_id, external_id, payload, remaining_labels)
     SELECT $1, 'i' || n, '{"vector": [1, 2]}', 1 FROM generate_series(1, $2) AS n`,
    [projectId, items],
  );
  const users = [];
  for (let i = 0; i < labellers; i++) {
    const [{ id }] = await sql.query(
      `INSERT INTO users (email, display_name, role, password_hash) VALUES ($1, 'drill', 'labeller', '!') RETURNING id`,
      [`drill-${i}-${Date.now()}@drill.local`],
    );
    await sql.query(`INSERT INTO project_members (project_id, user_id) VALUES ($1, $2)`, [projectId, id]);
    const token = newSecretToken();
    await sql.query(
      `INSERT INTO sessions (user_id, token_hash, expires_at) VALUES ($1, $2, now() + interval '1 day')`,
      [id, hashSecretToken(token)],
    );
    users.push({ id: id as string, cookie: `${SESSION_COOKIE}=${token}` });
  }
  return { projectId: projectId as string, users };
}

/**
 * Labellers label as the labelling page does until `stop()` says so: a first POST next, then submits that
 * answer the next item too (`next: true`). Every failed call is retried with the same body.
 */
function runLabellers(
  env: Env,
  projectId: string,
  users: { id: string; cookie: string }[],
  stop: () => boolean,
) {
  const acknowledged = new Map<string, number>(); // clientRequestId -> label id
  const holder = new Map<number, string>();
  let servedTwice = 0;
  let retries = 0;
  const call = async (cookie: string, path: string, body?: object) => {
    for (;;) {
      try {
        const response = await fetch(`http://127.0.0.1:${env.port}${path}`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/json' },
          body: body ? JSON.stringify(body) : undefined,
          signal: AbortSignal.timeout(15_000),
        });
        if (response.status < 300) return (await response.json()) as unknown;
        if (response.status < 500) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      } catch (error) {
        if (error instanceof Error && error.message.startsWith(path)) throw error;
      }
      retries++;
      await sleep(200);
    }
  };
  const done = Promise.all(
    users.map(async (user) => {
      const nextItem = async () =>
        (await call(user.cookie, `/projects/${projectId}/next`)) as NextItemResponse;
      let next = await nextItem();
      while (!stop() && next.status === 'item') {
        const itemId = next.item.id;
        const other = holder.get(itemId);
        if (other !== undefined && other !== user.id) servedTwice++;
        holder.set(itemId, user.id);
        const clientRequestId = `${user.id}-${itemId}`;
        const answer = (await call(user.cookie, `/items/${itemId}/labels`, {
          value: 'a',
          clientRequestId,
          next: true,
        })) as SubmitLabelResponse;
        acknowledged.set(clientRequestId, answer.label.id);
        // (as the page: an archived project's answer has no next item, and POST next says why)
        next = answer.next ?? (await nextItem());
      }
      // (a drill whose labellers finish the queue early no longer tests what it says it does)
      if (next.status !== 'item')
        throw new Error('drill failed: the queue ran out of items; give the drill more');
    }),
  );
  return { done, acknowledged, stats: () => ({ servedTwice, retries }) };
}

/**
 * Every acknowledged label is stored once, nothing else is stored, no item has two live labels, and no
 * labeller holds two leases (a retried submit answers the next item its first attempt leased).
 */
async function checkLabels(env: Env, projectId: string, acknowledged: Map<string, number>) {
  const sql = env.app.get(DataSource);
  const rows: { id: number; crid: string }[] = await sql.query(
    `SELECT id, client_request_id AS crid FROM labels WHERE project_id = $1 AND retracted_at IS NULL`,
    [projectId],
  );
  const [{ doubled }] = await sql.query(
    `SELECT count(*)::int AS doubled FROM (SELECT item_id FROM labels WHERE project_id = $1 AND retracted_at IS NULL
      GROUP BY item_id HAVING count(*) > 1) d`,
    [projectId],
  );
  const [{ doubleLeased }] = await sql.query(
    `SELECT count(*)::int AS "doubleLeased" FROM (SELECT labeller_id FROM leases WHERE project_id = $1
      GROUP BY labeller_id HAVING count(*) > 1) d`,
    [projectId],
  );
  const stored = new Map(rows.map((row) => [row.crid, row.id]));
  const lost = [...acknowledged].filter(([crid, id]) => stored.get(crid) !== id).length;
  const unacknowledged = rows.filter((row) => !acknowledged.has(row.crid)).length;
  return {
    acknowledged: acknowledged.size,
    stored: rows.length,
    lost,
    unacknowledged,
    itemsLabelledTwice: doubled as number,
    labellersHoldingTwoLeases: doubleLeased as number,
  };
}

function assertNothingLostOrDoubled(labels: Awaited<ReturnType<typeof checkLabels>>): void {
  const { lost, unacknowledged, itemsLabelledTwice, labellersHoldingTwoLeases } = labels;
  assert(
    lost + unacknowledged + itemsLabelledTwice + labellersHoldingTwoLeases === 0,
    JSON.stringify(labels),
  );
}

async function closeApi(env: Env) {
  await env.app.close().catch(() => undefined);
}

/** Each runs on a scratch database and vhost of its own (main), dropped after it whatever happened. */
const drills: Record<string, (db: TestDatabase, vhost: TestVhost) => Promise<Record<string, unknown>>> = {
  /** 64 labellers for 60 s: no item is ever served to two of them at once. */
  async labellers(db, vhost) {
    const { env, projectId, users } = await setUp(db, vhost, 120_000, 64);
    try {
      const until = Date.now() + 60_000;
      const run = runLabellers(env, projectId, users, () => Date.now() > until);
      await run.done;
      const labels = await checkLabels(env, projectId, run.acknowledged);
      const stats = run.stats();
      assert(stats.servedTwice === 0, `${stats.servedTwice} items served to two labellers`);
      assertNothingLostOrDoubled(labels);
      return { labellers: 64, seconds: 60, ...stats, ...labels };
    } finally {
      await closeApi(env);
    }
  },

  /**
   * Under load the API is stopped and started again on the same port twice: first as a deploy stops it
   * (app.close(), what SIGTERM runs: requests in flight are answered, kept-alive connections closed), then
   * as a crash would (the server closed with every connection cut mid-request).
   */
  async 'api-restart'(db, vhost) {
    const { env, projectId, users } = await setUp(db, vhost, 60_000, 16);
    try {
      let stop = false;
      const run = runLabellers(env, projectId, users, () => stop);
      await sleep(8_000);
      let downAt = Date.now();
      await env.app.close();
      const gracefulStopMs = Date.now() - downAt;
      await sleep(2_000);
      Object.assign(env, await startApi(env.db, env.vhost, env.port));
      const gracefulDownMs = Date.now() - downAt;
      const retriesAfterGracefulStop = run.stats().retries;
      await sleep(8_000);
      downAt = Date.now();
      const server = env.app.getHttpServer() as import('node:http').Server;
      server.close();
      server.closeAllConnections();
      await env.app.close().catch(() => undefined); // (its own close of the server finds it closed)
      await sleep(2_000);
      Object.assign(env, await startApi(env.db, env.vhost, env.port));
      const crashDownMs = Date.now() - downAt;
      await sleep(8_000);
      stop = true;
      await run.done;
      const labels = await checkLabels(env, projectId, run.acknowledged);
      const stats = run.stats();
      assert(gracefulStopMs < 10_000, `stopping the API under load took ${gracefulStopMs} ms`);
      assert(
        retriesAfterGracefulStop > 0 && stats.retries > retriesAfterGracefulStop,
        'no request failed: a restart did not happen under load',
      );
      assertNothingLostOrDoubled(labels);
      return { labellers: 16, gracefulStopMs, gracefulDownMs, crashDownMs, ...stats, ...labels };
    } finally {
      await closeApi(env);
    }
  },

  /** RabbitMQ stopped for 30 s while labellers submit: labels stored, every event delivered once after. */
  async rabbitmq(db, vhost) {
    const { env, projectId, users } = await setUp(db, vhost, 60_000, 8);
    const queue = `drill-${Date.now()}`;
    let connection = await amqp.connect(env.vhost.url);
    let channel = await connection.createChannel();
    await channel.assertExchange(EVENTS_EXCHANGE, 'topic', { durable: true });
    await channel.assertQueue(queue, { durable: true });
    await channel.bindQueue(queue, EVENTS_EXCHANGE, 'label.submitted.v1');
    await connection.close();
    let stopped = false;
    try {
      let stop = false;
      const run = runLabellers(env, projectId, users, () => stop);
      await sleep(5_000);
      execFileSync('rabbitmqctl', ['stop_app'], { stdio: 'ignore' });
      stopped = true;
      const stoppedAt = Date.now();
      await sleep(30_000);
      execFileSync('rabbitmqctl', ['start_app'], { stdio: 'ignore' });
      stopped = false;
      const outageMs = Date.now() - stoppedAt;
      await sleep(5_000);
      stop = true;
      await run.done;
      const labels = await checkLabels(env, projectId, run.acknowledged);
      const sql = env.app.get(DataSource);
      const drainedBy = Date.now() + 120_000;
      for (;;) {
        const [{ pending }] = await sql.query(
          `SELECT count(*)::int AS pending FROM outbox WHERE published_at IS NULL`,
        );
        if (pending === 0) break;
        assert(
          Date.now() < drainedBy,
          `${pending} events still unpublished 2 minutes after the broker returned`,
        );
        await sleep(500);
      }
      connection = await amqp.connect(env.vhost.url);
      channel = await connection.createChannel();
      const eventsByLabel = new Map<number, Set<string>>();
      let deliveries = 0;
      for (;;) {
        const message = await channel.get(queue, { noAck: true });
        if (!message) break;
        deliveries++;
        const event = JSON.parse(message.content.toString()) as { id: string; payload: { labelId: number } };
        const ids = eventsByLabel.get(event.payload.labelId) ?? new Set<string>();
        ids.add(event.id);
        eventsByLabel.set(event.payload.labelId, ids);
      }
      await channel.deleteQueue(queue);
      await connection.close();
      const storedIds = [...run.acknowledged.values()];
      const missing = storedIds.filter((id) => !eventsByLabel.has(id)).length;
      const twiceInEffect = [...eventsByLabel.values()].filter((ids) => ids.size > 1).length;
      assertNothingLostOrDoubled(labels);
      assert(missing === 0, `${missing} labels without a delivered event`);
      assert(twiceInEffect === 0, `${twiceInEffect} labels with two different events`);
      return {
        labellers: 8,
        outageMs,
        ...run.stats(),
        ...labels,
        deliveries,
        eventsMissing: missing,
        twiceInEffect,
      };
    } finally {
      if (stopped) execFileSync('rabbitmqctl', ['start_app'], { stdio: 'ignore' });
      await closeApi(env);
    }
  },

  /**
   * PostgreSQL crashes under load (an immediate stop: no shutdown checkpoint, crash recovery on start):
   * the API reconnects by itself; nothing acknowledged is lost; the queue, whose ranking (unlogged)
   * recovery empties, goes on serving every open item.
   */
  async postgres(db, vhost) {
    const { env, projectId, users } = await setUp(db, vhost, 20_000, 4);
    try {
      // A ranking in force before the crash: the items, last imported first.
      await env.app.get(DataSource).transaction((tx) =>
        applyQueueRanking(
          tx,
          { projectId, modelVersion: 1, strategy: 'margin' },
          {
            sql: `SELECT id, (row_number() OVER (ORDER BY id DESC) - 1)::int, 0.5, NULL::text, NULL::float8
                    FROM items WHERE project_id = $1`,
            params: [projectId],
          },
        ),
      );
      let stop = false;
      const run = runLabellers(env, projectId, users, () => stop);
      await sleep(5_000);
      const restartedAt = Date.now();
      try {
        execFileSync('pg_ctlcluster', ['15', 'main', 'stop', '-m', 'immediate'], { stdio: 'ignore' });
      } finally {
        ensurePostgresRunning();
      }
      const before = run.acknowledged.size;
      let recoveredMs = -1;
      while (Date.now() - restartedAt < 60_000) {
        if (run.acknowledged.size > before + 4) {
          recoveredMs = Date.now() - restartedAt;
          break;
        }
        await sleep(200);
      }
      stop = true;
      await run.done;
      assert(recoveredMs >= 0, 'the API did not serve labels again within 60 s of the restart');
      const labels = await checkLabels(env, projectId, run.acknowledged);
      assertNothingLostOrDoubled(labels);
      const [ranked] = (await env.app
        .get(DataSource)
        .query(`SELECT count(*)::int AS rows FROM queue_ranks`)) as [{ rows: number }];
      return { labellers: 4, recoveredMs, ...run.stats(), ...labels, rankedRowsAfterRecovery: ranked.rows };
    } finally {
      await closeApi(env);
    }
  },
};

function ensurePostgresRunning(): void {
  try {
    execFileSync('pg_ctlcluster', ['15', 'main', 'start'], { stdio: 'ignore' });
  } catch {
    // already running
  }
}

function assert(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(`drill failed: ${message}`);
}

async function main(): Promise<void> {
  const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(drills);
  const file = join(ROOT, 'bench/results/drills.json');
  mkdirSync(dirname(file), { recursive: true });
  const outcomes = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)
    : {};
  let failed = false;
  for (const name of names) {
    const drill = drills[name];
    if (!drill) throw new Error(`unknown drill "${name}"; known: ${Object.keys(drills).join(', ')}`);
    const startedAt = new Date().toISOString();
    const load = loadavg()[0]!;
    try {
      outcomes[name] = { startedAt, loadAverage: load, passed: true, ...(await withScratchSystem(drill)) };
    } catch (error) {
      failed = true;
      outcomes[name] = { startedAt, loadAverage: load, passed: false, error: String(error) };
    }
    console.log(name, JSON.stringify(outcomes[name]));
    writeFileSync(file, `${JSON.stringify(outcomes, null, 2)}\n`);
  }
  if (failed) process.exit(1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

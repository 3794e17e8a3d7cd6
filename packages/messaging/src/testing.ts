/**
 * Test vhosts on the machine's real RabbitMQ: each test file gets its own, so queues named by the
 * topology never collide between files or with a running system. Uses the management HTTP API.
 */
import { randomBytes } from 'node:crypto';

// eslint-disable-next-line no-restricted-properties -- test helper, read before any app config
const env = process.env;

function managementUrl(): URL {
  return new URL(env.TEST_RABBITMQ_MANAGEMENT_URL ?? 'http://guest:guest@127.0.0.1:15672');
}

async function management(method: string, path: string, body?: unknown): Promise<void> {
  const base = managementUrl();
  const auth = Buffer.from(
    `${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`,
  ).toString('base64');
  const response = await fetch(new URL(path, `${base.protocol}//${base.host}`), {
    method,
    headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok && !(method === 'DELETE' && response.status === 404)) {
    throw new Error(`RabbitMQ management ${method} ${path}: ${response.status} ${await response.text()}`);
  }
}

export interface TestVhost {
  name: string;
  /** AMQP URL of the vhost, for the code under test. */
  url: string;
  drop(): Promise<void>;
}

export async function createTestVhost(): Promise<TestVhost> {
  const name = `foreman_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const base = managementUrl();
  const user = decodeURIComponent(base.username) || 'guest';
  await management('PUT', `/api/vhosts/${name}`, {});
  await management('PUT', `/api/permissions/${name}/${encodeURIComponent(user)}`, {
    configure: '.*',
    write: '.*',
    read: '.*',
  });
  const amqp = new URL(env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672');
  amqp.pathname = `/${name}`;
  return { name, url: amqp.toString(), drop: () => management('DELETE', `/api/vhosts/${name}`) };
}

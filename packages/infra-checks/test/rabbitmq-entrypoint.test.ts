/**
 * infra/rabbitmq/entrypoint.sh, run as the container runs it (the image's entrypoint replaced by `echo`),
 * and its output imported into this machine's RabbitMQ the way load_definitions imports it at boot.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../src/compose';

const management = new URL(process.env.TEST_RABBITMQ_MANAGEMENT_URL ?? 'http://guest:guest@127.0.0.1:15672');

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

async function managementCall(path: string, init: RequestInit = {}, auth?: string): Promise<Response> {
  return fetch(new URL(path, management.origin), {
    ...init,
    headers: {
      authorization:
        auth ?? basic(decodeURIComponent(management.username), decodeURIComponent(management.password)),
      'content-type': 'application/json',
    },
  });
}

describe('the RabbitMQ entrypoint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'foreman-rabbitmq-'));
  const target = join(dir, 'definitions.json');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function run(user: string, password: string) {
    return spawnSync('sh', [join(REPO_ROOT, 'infra/rabbitmq/entrypoint.sh'), 'rabbitmq-server'], {
      env: {
        PATH: process.env.PATH ?? '',
        RABBITMQ_USER: user,
        RABBITMQ_PASSWORD: password,
        FOREMAN_TOPOLOGY_FILE: join(REPO_ROOT, 'infra/rabbitmq/definitions.json'),
        FOREMAN_DEFINITIONS_FILE: target,
        FOREMAN_NEXT_ENTRYPOINT: 'echo',
      },
      encoding: 'utf8',
    });
  }

  it('adds the user from .env to the topology, which RabbitMQ imports and the user logs in with', async () => {
    const user = `foreman_it_${randomBytes(4).toString('hex')}`;
    const password = randomBytes(16).toString('hex');
    const result = run(user, password);
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe('rabbitmq-server');

    // Into a vhost of its own, so the machine's broker and other tests are untouched.
    const vhost = `foreman_test_${randomBytes(4).toString('hex')}`;
    const definitions = JSON.parse(readFileSync(target, 'utf8'));
    const topology = JSON.parse(readFileSync(join(REPO_ROOT, 'infra/rabbitmq/definitions.json'), 'utf8'));
    expect(definitions.users).toEqual([{ name: user, password, tags: ['administrator'] }]);
    for (const key of ['exchanges', 'queues', 'bindings'])
      expect(definitions[key]).toHaveLength(topology[key].length);
    const text = JSON.stringify(definitions)
      .replaceAll(`"vhost":"/"`, `"vhost":"${vhost}"`)
      .replace('"vhosts":[{"name":"/"}]', `"vhosts":[{"name":"${vhost}"}]`);
    try {
      expect((await managementCall('/api/definitions', { method: 'POST', body: text })).status).toBeLessThan(
        300,
      );
      const whoami = await managementCall('/api/whoami', {}, basic(user, password));
      expect(whoami.status).toBe(200);
      expect((await managementCall('/api/whoami', {}, basic(user, 'wrong'))).status).toBe(401);
      const queue = await managementCall(`/api/queues/${vhost}/foreman.trainer`, {}, basic(user, password));
      expect(queue.status).toBe(200);
      const { arguments: queueArguments } = (await queue.json()) as { arguments: Record<string, string> };
      expect(queueArguments['x-dead-letter-exchange']).toBe('foreman.dead-letter');
    } finally {
      await managementCall(`/api/users/${user}`, { method: 'DELETE' });
      await managementCall(`/api/vhosts/${vhost}`, { method: 'DELETE' });
    }
  });

  it.each([
    ['a missing password', 'foreman', '', 'RABBITMQ_PASSWORD: expected letters'],
    ['a password that would break the URL', 'foreman', 'pa"ss@word', 'RABBITMQ_PASSWORD: expected letters'],
    [
      'the well-known guest password',
      'foreman',
      'guest',
      'RABBITMQ_PASSWORD: must not be a well-known default',
    ],
    ['a user name with a quote', 'fore"man', 'a1b2c3d4e5f6', 'RABBITMQ_USER: expected letters'],
  ])('refuses to start with %s', (_case, user, password, message) => {
    const result = run(user, password);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });
});

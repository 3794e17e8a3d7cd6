import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@foreman/database/testing';
import { createTestVhost, type TestVhost } from '@foreman/messaging/testing';

const main = join(__dirname, '../dist/main.js');

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  for (const deadline = Date.now() + 20_000; Date.now() < deadline;) {
    const found = await check();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// The API as deployed (its own process, JSON lines on stdout at LOG_LEVEL=info), read as a log store would.
describe('the API’s log lines', () => {
  let db: TestDatabase;
  let vhost: TestVhost;
  let api: ChildProcess;
  const lines: string[] = [];

  beforeAll(async () => {
    [db, vhost] = await Promise.all([createTestDatabase(), createTestVhost()]);
  });

  afterAll(async () => {
    api?.kill();
    await Promise.all([db?.drop(), vhost?.drop()]);
  });

  it('name the request’s correlation id once each, refused bodies included, as valid JSON objects', async () => {
    const port = await freePort();
    api = spawn(process.execPath, [main], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        DATABASE_URL: db.url,
        AMQP_URL: vhost.url,
        PORT: String(port),
        RUN_MIGRATIONS: 'false',
      },
    });
    let pending = '';
    api.stdout!.on('data', (chunk: Buffer) => {
      const text = pending + chunk.toString('utf8');
      const complete = text.split('\n');
      pending = complete.pop()!;
      lines.push(...complete.filter(Boolean));
    });
    const base = `http://127.0.0.1:${port}`;
    await until('the API to answer', () =>
      fetch(`${base}/health`).then(
        (response) => (response.ok ? true : undefined),
        () => undefined,
      ),
    );

    const response = await fetch(`${base}/auth/me`, { headers: { 'x-correlation-id': 'trace-log-1' } });
    expect(response.status).toBe(401);
    const line = await until('the request’s log line', () =>
      lines.find((text) => text.includes('trace-log-1') && text.includes('"res"')),
    );
    expect(line.match(/"correlationId":/g)).toHaveLength(1);
    expect(JSON.parse(line)).toMatchObject({
      correlationId: 'trace-log-1',
      req: { method: 'GET', url: '/auth/me' },
      res: { statusCode: 401 },
    });

    // A body refused before any handler (not JSON, too large) is answered and logged like any other request.
    for (const [id, body, status] of [
      ['trace-log-2', '{"email":', 400],
      ['trace-log-3', JSON.stringify({ email: 'x'.repeat(2_000_000) }), 413],
    ] as const) {
      const refused = await fetch(`${base}/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-correlation-id': id },
        body,
      });
      expect(refused.status).toBe(status);
      expect(refused.headers.get('x-correlation-id')).toBe(id);
      const logged = await until(`the refused request’s log line (${id})`, () =>
        lines.find((text) => text.includes(id) && text.includes('"res"')),
      );
      expect(JSON.parse(logged)).toMatchObject({ correlationId: id, res: { statusCode: status } });
    }
    // (and no line anywhere names it twice)
    expect(lines.filter((text) => (text.match(/"correlationId":/g) ?? []).length > 1)).toEqual([]);
  }, 30_000);
});

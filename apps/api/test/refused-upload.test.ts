import { randomUUID } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { startTestApi, type TestApi } from './test-app';

const importPath = () => `/projects/${randomUUID()}/items`;

/**
 * An anonymous upload that never finishes: the head and a first line, then one byte every 200 ms (as a
 * client holding a connection open would). Resolves with what came back and when the connection ended, or
 * null for a connection still open after `waitMs`.
 */
function slowAnonymousUpload(
  port: number,
  waitMs: number,
): Promise<{ answer: string; endedAfterMs: number | null }> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const started = Date.now();
    let answer = '';
    const trickle = setInterval(() => socket.write('1'), 200);
    const finish = (endedAfterMs: number | null) => {
      clearInterval(trickle);
      clearTimeout(giveUp);
      socket.destroy();
      resolve({ answer, endedAfterMs });
    };
    const giveUp = setTimeout(() => finish(null), waitMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', () => undefined); // a write after the server closed; 'close' follows
    socket.on('close', () => finish(Date.now() - started));
    socket.write(
      `POST ${importPath()} HTTP/1.1\r\nHost: api\r\nContent-Type: text/csv\r\nContent-Length: 100000000\r\n\r\n` +
        'id,label,x\n',
    );
  });
}

/** A POST sent whole on `agent`; resolves with the status and whether it went on a reused connection. */
function post(agent: Agent, port: number, path: string, body: string) {
  return new Promise<{ status: number; reusedSocket: boolean }>((resolve, reject) => {
    const request = httpRequest(
      { agent, host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'text/csv' } },
      (response) => {
        response.resume();
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, reusedSocket: request.reusedSocket }),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

describe('a request refused before its body has arrived', () => {
  let api: TestApi;
  let port: number;

  beforeAll(async () => {
    api = await startTestApi();
    await api.app.listen(0, '127.0.0.1');
    port = (api.app.getHttpServer().address() as AddressInfo).port;
  });

  afterAll(async () => {
    await api.close();
  });

  it('answers 401 to an anonymous import, then closes the connection instead of reading the rest', async () => {
    const { answer, endedAfterMs } = await slowAnonymousUpload(port, 5_000);
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
    expect(endedAfterMs).not.toBeNull();
    expect(endedAfterMs).toBeLessThan(2_000);
  });

  it('keeps the connection open after answering a request that was sent whole', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect(await post(agent, port, importPath(), 'id,label,x\n1,,2\n')).toEqual({
        status: 401,
        reusedSocket: false,
      });
      expect(await post(agent, port, '/auth/sign-in', '')).toMatchObject({ reusedSocket: true });
    } finally {
      agent.destroy();
    }
  });
});

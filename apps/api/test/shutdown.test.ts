import { Agent, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestApi } from './test-app';

/** GET on a kept-alive connection; resolves with the status, rejects with the socket's error code. */
function get(agent: Agent, port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ agent, host: '127.0.0.1', port, path }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', (error: NodeJS.ErrnoException) => reject(new Error(error.code ?? error.message)));
    request.end();
  });
}

describe('stopping the API while clients keep their connections busy', () => {
  it('answers the requests in flight, closes the kept-alive connections and stops within seconds', async () => {
    const api = await startTestApi();
    await api.app.listen(0, '127.0.0.1');
    const { port } = api.app.getHttpServer().address() as AddressInfo;
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const statuses: number[] = [];
    const failures: string[] = [];
    let givenUp = false;
    // Eight clients that never pause, as busy labellers' browsers: each connection is never idle for long.
    const clients = Array.from({ length: 8 }, async () => {
      while (!givenUp) {
        try {
          statuses.push(await get(agent, port, '/health'));
        } catch (error) {
          failures.push((error as Error).message);
          return;
        }
      }
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const stopping = Date.now();
      // (what SIGTERM does: enableShutdownHooks calls app.close())
      const stopped = await Promise.race([
        api.app.close().then(() => true),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), 15_000)),
      ]);
      const stopMs = Date.now() - stopping;
      givenUp = !stopped;
      await Promise.all(clients);

      expect(stopped).toBe(true);
      expect(stopMs).toBeLessThan(10_000);
      expect(statuses.length).toBeGreaterThan(8);
      expect(statuses.filter((status) => status !== 200)).toEqual([]);
      // Each client then finds the API gone, as a browser would before retrying elsewhere.
      expect(failures).toHaveLength(8);
      expect(failures.filter((code) => code !== 'ECONNREFUSED' && code !== 'ECONNRESET')).toEqual([]);
    } finally {
      agent.destroy();
      await Promise.all([api.db.drop(), api.vhost.drop()]);
    }
  }, 30_000);
});

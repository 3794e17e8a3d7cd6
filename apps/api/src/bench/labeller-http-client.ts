import { connect, type Socket } from 'node:net';

const HEADERS_END = Buffer.from('\r\n\r\n');

/**
 * The simulated labellers' HTTP/1.1 client: plain keep-alive sockets, one per labeller in flight, with
 * requests written in one piece and answers read by Content-Length (what the API sends). The labellers'
 * browsers run on other machines; here the client shares two cores with the API and PostgreSQL, so it is
 * kept cheap: 0.2 ms of CPU per label on the 2-core machine, where node:http cost 0.3-0.7 and fetch twice
 * that (pgbench, the floor's client: 0.1).
 */
export class LabellerHttpClient {
  private readonly idle: Socket[] = [];
  private readonly open = new Set<Socket>();
  private readonly url: URL;

  constructor(base: string) {
    this.url = new URL(base);
  }

  async post(path: string, cookie: string, body?: object): Promise<{ status: number; text: string }> {
    const payload = body ? JSON.stringify(body) : '';
    const socket = this.idle.pop() ?? (await this.connect());
    const answer = readAnswer(socket);
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: ${this.url.host}\r\nCookie: ${cookie}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n\r\n${payload}`,
    );
    try {
      const { keepAlive, ...response } = await answer;
      if (keepAlive) this.idle.push(socket);
      else socket.destroy();
      return response;
    } catch (error) {
      socket.destroy();
      throw error;
    }
  }

  close(): void {
    for (const socket of this.open) socket.destroy();
  }

  private connect(): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: this.url.hostname, port: Number(this.url.port), noDelay: true });
      this.open.add(socket);
      socket.once('close', () => {
        this.open.delete(socket);
        const index = this.idle.indexOf(socket);
        if (index >= 0) this.idle.splice(index, 1);
      });
      socket.once('connect', () => {
        socket.off('error', reject);
        socket.on('error', () => undefined); // (a request on it sees the close)
        resolve(socket);
      });
      socket.once('error', reject);
    });
  }
}

/** The next answer on the socket: status, body, and whether the server keeps the connection open. */
function readAnswer(socket: Socket): Promise<{ status: number; text: string; keepAlive: boolean }> {
  return new Promise((resolve, reject) => {
    let received: Buffer = Buffer.alloc(0);
    let head: { status: number; bodyStart: number; length: number; keepAlive: boolean } | null = null;
    const done = (error: Error | null) => {
      socket.off('data', onData);
      socket.off('close', onClose);
      if (error) return reject(error);
      const body = received.subarray(head!.bodyStart, head!.bodyStart + head!.length);
      resolve({ status: head!.status, text: body.toString('utf8'), keepAlive: head!.keepAlive });
    };
    const onData = (chunk: Buffer) => {
      received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
      if (!head) {
        const end = received.indexOf(HEADERS_END);
        if (end < 0) return;
        const lines = received.subarray(0, end).toString('latin1').split('\r\n');
        const header = (name: string) =>
          lines
            .find((line) => line.toLowerCase().startsWith(`${name}:`))
            ?.slice(name.length + 1)
            .trim();
        const length = header('content-length');
        if (length === undefined) return done(new Error(`an answer without Content-Length: ${lines[0]}`));
        head = {
          status: Number(lines[0]!.split(' ')[1]),
          bodyStart: end + HEADERS_END.length,
          length: Number(length),
          keepAlive: header('connection')?.toLowerCase() !== 'close',
        };
      }
      if (received.length >= head.bodyStart + head.length) done(null);
    };
    const onClose = () => done(Object.assign(new Error('connection closed'), { code: 'ECONNRESET' }));
    socket.on('data', onData);
    socket.once('close', onClose);
  });
}

import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server, ServerResponse } from 'node:http';

/**
 * How long a stopping API lets requests in flight finish before it cuts their connections: within the
 * 10 s an orchestrator (docker stop, compose) waits before it kills the process.
 */
const DRAIN_MS = 8_000;

/**
 * Stops the HTTP server so that a shutdown under load finishes in seconds without cutting requests.
 * Node's server.close() waits for every connection to end, and clients that keep their kept-alive
 * connections busy (labellers' pages) never let one end: the API hung until the clients stopped. So
 * from the shutdown on, every answer closes its connection (the client reconnects, to another instance),
 * idle connections close at once, and whatever is left after DRAIN_MS is cut.
 */
@Injectable()
export class HttpDrain implements BeforeApplicationShutdown {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  async beforeApplicationShutdown(): Promise<void> {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server?.listening) return;
    server.prependListener('request', (_request, response: ServerResponse) =>
      response.setHeader('Connection', 'close'),
    );
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    const cut = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
    await closed;
    clearTimeout(cut);
  }
}

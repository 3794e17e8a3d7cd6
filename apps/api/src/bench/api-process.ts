/**
 * The API in a child process of a benchmark, so that its CPU time and memory are its own. A bench forks
 * its own file with the argument `api`; that side runs `serveApi`, the bench's side drives it through
 * `ApiProcess`: one request at a time, each answered by one message.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { createApiApp } from '../bootstrap';
import { loadApiConfig } from '../config/env';

type Request = { type: string };

export class ApiProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Forks `script` (the bench's own file) as the API on the given database and RabbitMQ vhost. */
  static async start(
    script: string,
    urls: { databaseUrl: string; amqpUrl: string },
    execArgv: string[] = [],
  ): Promise<ApiProcess> {
    const child = fork(script, ['api'], {
      execArgv: ['--enable-source-maps', ...execArgv],
      env: { ...process.env, BENCH_DATABASE_URL: urls.databaseUrl, BENCH_AMQP_URL: urls.amqpUrl },
    });
    const ready = await new Promise<{ port: number }>((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => reject(new Error(`the API process exited (${code}) before it listened`)));
    });
    return new ApiProcess(child, ready.port);
  }

  ask<T>(request: Request): Promise<T> {
    return new Promise((resolve) => {
      this.child.once('message', resolve);
      this.child.send(request);
    });
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ type: 'stop' });
    await exited;
  }
}

/** The child's side: the API on a free port; `answer` replies to the bench's requests other than stop. */
export async function serveApi(
  logLevel: string,
  answer: (request: Request) => object | Promise<object>,
): Promise<void> {
  const app = await createApiApp(
    loadApiConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: logLevel,
      DATABASE_URL: process.env.BENCH_DATABASE_URL,
      AMQP_URL: process.env.BENCH_AMQP_URL,
      RUN_MIGRATIONS: 'false',
    }),
  );
  await app.listen(0, '127.0.0.1');
  process.on('message', (request: Request) => {
    if (request.type === 'stop') void app.close().then(() => process.exit(0));
    else void Promise.resolve(answer(request)).then((reply) => process.send!(reply));
  });
  process.send!({ port: (app.getHttpServer().address() as AddressInfo).port });
}

/** A bench's entry point: the API's side when forked with `api`, else the bench itself. */
export function runBenchOrApi(bench: () => Promise<void>, api: () => Promise<void>): void {
  (process.argv[2] === 'api' ? api() : bench()).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

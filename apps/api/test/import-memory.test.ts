import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ImportReport } from '@foreman/contracts';
import { createProject, createUserWithSession } from './fixtures';
import { startTestApi, type TestApi } from './test-app';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const ROWS = 100_000;
const TEXT_CHARS = 200;
/** Retained heap may grow by at most this much while the import runs (the body alone is ~23 MiB). */
const HEAP_BOUND_BYTES = 16 * 1024 * 1024;

/**
 * A JSON array of ROWS items, generated as it is sent in chunks of 500 rows; samples the retained heap
 * every 10,000 rows.
 */
function* jsonBody(samples: number[]): Generator<string> {
  let chunk = '[';
  for (let row = 1; row <= ROWS; row++) {
    const text = `item ${row}: `.padEnd(TEXT_CHARS, 'lorem ipsum dolor sit amet ');
    chunk += `${row === 1 ? '' : ','}{"id":"r${row}","text":"${text}"}`;
    if (row % 500 === 0) {
      yield chunk;
      chunk = '';
    }
    if (row % 10_000 === 0) {
      gc();
      samples.push(process.memoryUsage().heapUsed);
    }
  }
  yield `${chunk}]`;
}

describe('a 100,000-row import', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
    await api.app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await api?.close();
  });

  it('streams through a fixed amount of memory', async () => {
    const admin = await createUserWithSession(api, { role: 'admin' });
    const { id: projectId } = await createProject(api, { inputKind: 'text' });
    const { port } = api.app.getHttpServer().address() as AddressInfo;

    const samples: number[] = [];
    let bytes = 0;
    gc();
    const before = process.memoryUsage();
    const baseline = before.heapUsed;
    const report = await new Promise<ImportReport>((resolve, reject) => {
      const upload = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: `/projects/${projectId}/items`,
          headers: { 'Content-Type': 'application/json', Cookie: admin.cookie },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () =>
            response.statusCode === 200
              ? resolve(JSON.parse(text))
              : reject(new Error(`${response.statusCode} ${text}`)),
          );
        },
      );
      upload.on('error', reject);
      Readable.from(jsonBody(samples))
        .on('data', (chunk: string) => (bytes += Buffer.byteLength(chunk)))
        .pipe(upload);
    });

    expect(report).toEqual({ received: ROWS, inserted: ROWS, duplicates: 0, rejected: 0, rejections: [] });
    expect(bytes).toBeGreaterThan(20 * 1024 * 1024);
    const growth = Math.max(...samples) - baseline;
    const rssGrowth = process.memoryUsage().rss - before.rss;
    const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
    // Shown in the test output; the assertion is the bound. RSS is reported only: the allocator keeps pages.
    process.stdout.write(
      `100k-row import: body ${mib(bytes)}, retained heap growth ${mib(growth)}, RSS growth ${mib(rssGrowth)}\n`,
    );
    expect(growth).toBeLessThan(HEAP_BOUND_BYTES);
  }, 120_000);
});

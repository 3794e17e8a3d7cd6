import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createProject, createUserWithSession, type TestUser } from './fixtures';
import { startTestApi, type TestApi } from './test-app';

describe('POST /projects/:id/items (import)', () => {
  let api: TestApi;
  let db: DataSource;
  let admin: TestUser;

  beforeAll(async () => {
    api = await startTestApi();
    db = api.app.get(DataSource);
    admin = await createUserWithSession(api, { role: 'admin' });
  });

  afterAll(async () => {
    await api?.close();
  });

  const post = (projectId: string, contentType: string, body: string | Buffer) =>
    request(api.app.getHttpServer())
      .post(`/projects/${projectId}/items`)
      .set('Cookie', admin.cookie)
      .set('Content-Type', contentType)
      .send(body);

  const items = (projectId: string): Promise<{ externalId: string; payload: unknown; remaining: number }[]> =>
    db.query(
      `SELECT external_id AS "externalId", payload, remaining_labels AS remaining
         FROM items WHERE project_id = $1 ORDER BY id`,
      [projectId],
    );

  describe('a vector project (shape [3])', () => {
    let projectId: string;

    const csv = [
      'id,a,b,c',
      'r1,1,2,3', // 1 ok
      'r2,1,x,3', // 2 not a number
      'r3,1,2', // 3 short row
      'r1,4,5,6', // 4 duplicate of row 1
      ',7,8,9', // 5 ok, content id
      'r6,1e999,0,0', // 6 not finite
      'r7,0.5,-1,2', // 7 ok
    ].join('\n');

    beforeAll(async () => {
      ({ id: projectId } = await createProject(api, { shape: [1, 3], labelsPerItem: 2 }));
    });

    it('imports CSV: good rows in file order, bad rows reported with their numbers', async () => {
      const response = await post(projectId, 'text/csv', csv).expect(200);
      expect(response.body).toEqual({
        received: 7,
        inserted: 3,
        duplicates: 1,
        rejected: 3,
        rejections: [
          { row: 2, reason: 'column "b": "x" is not a finite number' },
          { row: 3, reason: 'the row has 3 columns; the header has 4' },
          { row: 6, reason: 'column "a": "1e999" is not a finite number' },
        ],
      });
      const stored = await items(projectId);
      expect(stored.map((item) => item.externalId)).toEqual([
        'r1',
        expect.stringMatching(/^sha256:[0-9a-f]{32}$/),
        'r7',
      ]);
      expect(stored.map((item) => item.payload)).toEqual([
        { vector: [1, 2, 3] },
        { vector: [7, 8, 9] },
        { vector: [0.5, -1, 2] },
      ]);
      // New items need labelsPerItem labels and wait in import order.
      expect(stored.every((item) => item.remaining === 2)).toBe(true);
    });

    it('queues one items.imported event per import in the outbox', async () => {
      const events: { envelope: { type: string; projectId: string; payload: unknown } }[] = await db.query(
        `SELECT envelope FROM outbox WHERE event_type = 'items.imported.v1' AND envelope->>'projectId' = $1`,
        [projectId],
      );
      expect(events).toHaveLength(1);
      expect(events[0]!.envelope.payload).toEqual({ inserted: 3, totalItems: 3 });
    });

    it('reports a second import of the same file as duplicates and writes no event', async () => {
      const response = await post(projectId, 'text/csv', csv).expect(200);
      expect(response.body).toMatchObject({ received: 7, inserted: 0, duplicates: 4, rejected: 3 });
      expect(await items(projectId)).toHaveLength(3);
      const [{ n }] = await db.query(
        `SELECT count(*)::int AS n FROM outbox WHERE envelope->>'projectId' = $1`,
        [projectId],
      );
      expect(n).toBe(1);
    });

    it('imports a JSON array, de-duplicating against items already there', async () => {
      const body = JSON.stringify([
        { id: 'j1', vector: [1, 2, 3] },
        { id: 'j2', vector: [1, 2] },
        { id: 'j3', vector: [1, '2', 3] },
        { id: 'r1', vector: [0, 0, 0] },
        { url: 'http://example.com/a.png' },
        'just a string',
        { id: 'j7', vector: [1, 2, 3], colour: 'red' },
        { id: 8, vector: [1, 2, 3.5] },
      ]);
      const response = await post(projectId, 'application/json', body).expect(200);
      expect(response.body).toEqual({
        received: 8,
        inserted: 2,
        duplicates: 1,
        rejected: 5,
        rejections: [
          { row: 2, reason: `"vector" has 2 numbers; this project's shape [1, 3] needs 3` },
          { row: 3, reason: 'vector[1] is not a finite number ("2")' },
          { row: 5, reason: 'this project takes vector items ("vector"), not "url"' },
          { row: 6, reason: 'expected an object with "vector" and optionally "id"' },
          { row: 7, reason: 'unknown field "colour" (expected "vector" and optionally "id")' },
        ],
      });
      const stored = await items(projectId);
      expect(stored.slice(-2).map((item) => [item.externalId, item.payload])).toEqual([
        ['j1', { vector: [1, 2, 3] }],
        ['8', { vector: [1, 2, 3.5] }],
      ]);
    });

    it('imports NDJSON: blank lines are skipped, a broken line is rejected alone', async () => {
      const body = [
        '{"id":"n1","vector":[1,2,3]}',
        '{not json}',
        '',
        '{"id":"n1","vector":[3,2,1]}',
        '{"id":"","vector":[1,2,3]}',
        '{"vector":[9,9,9]}',
      ].join('\r\n');
      const response = await post(projectId, 'application/x-ndjson', `\uFEFF${body}`).expect(200);
      expect(response.body).toMatchObject({ received: 5, inserted: 2, duplicates: 1, rejected: 2 });
      expect(response.body.rejections).toEqual([
        { row: 2, reason: expect.stringMatching(/^not valid JSON: /) },
        { row: 4, reason: '"id" is empty' },
      ]);
    });

    it('rejects a CSV row over 1 MiB alone and reads quoted cells and CRLF line ends', async () => {
      const huge = `"${'9'.repeat(1024 * 1024)}"`;
      const body = ['id,a,b,c', '"q,1",1,2,3', `q2,${huge},2,3`, '"q""3",4,5,6'].join('\r\n');
      const response = await post(projectId, 'text/csv', body).expect(200);
      expect(response.body).toEqual({
        received: 3,
        inserted: 2,
        duplicates: 0,
        rejected: 1,
        rejections: [{ row: 2, reason: 'the row is larger than 1 MiB' }],
      });
      expect((await items(projectId)).slice(-2).map((item) => [item.externalId, item.payload])).toEqual([
        ['q,1', { vector: [1, 2, 3] }],
        ['q"3', { vector: [4, 5, 6] }],
      ]);
    });

    it('reads a gzipped body (Content-Encoding: gzip)', async () => {
      const response = await post(projectId, 'text/csv', gzipSync('a,b,c\n10,20,30\n'))
        .set('Content-Encoding', 'gzip')
        .expect(200);
      expect(response.body).toMatchObject({ received: 1, inserted: 1, rejected: 0 });
    });

    it.each([
      [
        'a truncated JSON array',
        'application/json',
        '[{"id":"t1","vector":[1,2,3]}, {"id":',
        /ends early, after row 1/,
      ],
      ['JSON that is not an array', 'application/json', '{"id":"t1","vector":[1,2,3]}', /must be an array of items .*one item per line is NDJSON/],
      [
        'CSV with the wrong number of vector columns',
        'text/csv',
        'id,a,b\nt1,1,2\n',
        /2 vector columns.*3 entries/,
      ],
      ['CSV with an unclosed quote', 'text/csv', 'a,b,c\n1,2,3\n"4,5,6\n', /cannot be read/],
      ['an empty body', 'text/csv', '', /empty/],
      [
        'a CSV saved as Latin-1 (its é would have become U+FFFD)',
        'text/csv',
        Buffer.from('id,a,b,c\ncafé,1,2,3\n', 'latin1'),
        /^the file is not UTF-8 text \(Latin-1, for example\); save it as UTF-8 \(in Excel: "CSV UTF-8"\)/,
      ],
      ['a UTF-16 CSV', 'text/csv', Buffer.from('\uFEFFid,a,b,c\nt1,1,2,3\n', 'utf16le'), /^the file is UTF-16 text/],
      ['NDJSON saved as Latin-1', 'application/x-ndjson', Buffer.from('{"id":"é","vector":[1,2,3]}\n', 'latin1'), /not UTF-8/],
    ])('rejects %s as a whole with 400 and writes nothing', async (_case, type, body, message) => {
      const before = (await items(projectId)).length;
      const response = await post(projectId, type, body).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, message: expect.stringMatching(message) });
      expect(await items(projectId)).toHaveLength(before);
    });

    it('writes nothing when the upload breaks off', async () => {
      const before = (await items(projectId)).length;
      await api.app.listen(0, '127.0.0.1');
      const { port } = api.app.getHttpServer().address() as AddressInfo;
      const upload = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `/projects/${projectId}/items`,
        headers: {
          'Content-Type': 'application/x-ndjson',
          'Content-Length': 10_000_000,
          Cookie: admin.cookie,
        },
      });
      upload.on('error', () => undefined);
      for (let row = 0; row < 2_000; row++) upload.write(`{"id":"cut-${row}","vector":[1,2,3]}\n`);
      await sleep(500); // the first batches are inserted, inside the import's transaction
      upload.destroy();
      await sleep(500);
      expect(await items(projectId)).toHaveLength(before);
      // The connection went back to the pool: the next import works.
      await post(projectId, 'text/csv', 'id,a,b,c\ncut-ok,1,2,3\n').expect(200);
      expect(await items(projectId)).toHaveLength(before + 1);
    });

    it('answers 415 naming the accepted types', async () => {
      const response = await post(projectId, 'text/plain', '1,2,3').expect(415);
      expect(response.body.message).toMatch(/application\/json.*application\/x-ndjson.*text\/csv/);
    });

    it('is for admins only', async () => {
      const labeller = await createUserWithSession(api, { role: 'labeller', projectIds: [projectId] });
      await request(api.app.getHttpServer())
        .post(`/projects/${projectId}/items`)
        .set('Cookie', labeller.cookie)
        .set('Content-Type', 'text/csv')
        .send('a,b,c\n1,2,3\n')
        .expect(403);
    });

    it('keeps the 1 MB limit on ordinary JSON routes', async () => {
      const response = await request(api.app.getHttpServer())
        .post(`/projects/${projectId}/next`)
        .set('Cookie', admin.cookie)
        .set('Content-Type', 'application/json')
        .send(`{"padding":"${'x'.repeat(1.2 * 1024 * 1024)}"}`);
      expect(response.status).toBe(413);
    });
  });

  it('validates image URLs and texts', async () => {
    const { id: images } = await createProject(api, { inputKind: 'image' });
    const imageReport = await post(
      images,
      'application/json',
      JSON.stringify([
        { url: 'https://example.com/cat.png' },
        { url: 'ftp://example.com/cat.png' },
        { url: 'not a url' },
        { text: 'a cat' },
      ]),
    ).expect(200);
    expect(imageReport.body).toMatchObject({ received: 4, inserted: 1, rejected: 3 });
    expect(imageReport.body.rejections.map((r: { row: number }) => r.row)).toEqual([2, 3, 4]);

    const { id: texts } = await createProject(api, { inputKind: 'text' });
    const textReport = await post(texts, 'text/csv', 'id,text\nt1,"hello, world"\nt2,"  "\n').expect(200);
    expect(textReport.body).toMatchObject({
      received: 2,
      inserted: 1,
      rejections: [{ row: 2, reason: '"text" is empty' }],
    });
    expect(await items(texts)).toMatchObject([{ externalId: 't1', payload: { text: 'hello, world' } }]);
    await post(texts, 'text/csv', 'id,url\nt1,http://x.org\n').expect(400);
  });
});

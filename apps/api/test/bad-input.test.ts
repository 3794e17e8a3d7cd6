import request from 'supertest';
import { DataSource } from 'typeorm';
import { apiErrorSchema, nextItemResponseSchema } from '@foreman/contracts';
import { hashSecretToken, newSecretToken } from '../src/modules/auth/secret-token';
import { createProject, createProjectWithItems, createUserWithSession, type TestUser } from './fixtures';
import { startTestApi, type TestApi } from './test-app';

/**
 * Bad input over the real API: every case must answer the expected 4xx in the one error shape, with a
 * message that says what is wrong, and leave every table exactly as it was.
 */
describe('bad input', () => {
  let api: TestApi;
  let db: DataSource;
  const ctx = {} as {
    admin: TestUser;
    alice: TestUser;
    bob: TestUser;
    outsider: TestUser;
    deactivated: TestUser;
    expiredCookie: string;
    revokedCookie: string;
    adminToken: string;
    revokedToken: string;
    project: string;
    textProject: string;
    otherProject: string;
    /** Labelled by alice (clientRequestId "alice-1"). */
    labelledItem: number;
    aliceLabel: number;
    /** Leased to bob, never served to alice. */
    bobsItem: number;
    bobsLease: number;
    /** Leased to alice, expired, now leased to bob. */
    takenOverItem: number;
    /** In a project alice is not a member of. */
    foreignItem: number;
  };

  const http = () => request(api.app.getHttpServer());

  async function insertSession(userId: string, expiresSql: string, revoked = false): Promise<string> {
    const token = newSecretToken();
    await db.query(
      `INSERT INTO sessions (user_id, token_hash, expires_at, revoked_at)
       VALUES ($1, $2, ${expiresSql}, ${revoked ? 'now()' : 'NULL'})`,
      [userId, hashSecretToken(token)],
    );
    return `foreman_session=${token}`;
  }

  async function insertToken(userId: string, revoked: boolean): Promise<string> {
    const token = newSecretToken();
    await db.query(
      `INSERT INTO api_tokens (user_id, name, token_hash, revoked_at) VALUES ($1, 'bench', $2, ${revoked ? 'now()' : 'NULL'})`,
      [userId, hashSecretToken(token)],
    );
    return token;
  }

  async function next(user: TestUser, projectId: string) {
    const response = await http().post(`/projects/${projectId}/next`).set('Cookie', user.cookie).expect(200);
    const answer = nextItemResponseSchema.parse(response.body);
    if (answer.status !== 'item') throw new Error('expected an item');
    return answer;
  }

  beforeAll(async () => {
    api = await startTestApi();
    db = api.app.get(DataSource);
    const main = await createProjectWithItems(api, { items: 6, classes: ['cat', 'dog', 'bird'] });
    const other = await createProjectWithItems(api, { items: 2 });
    ctx.project = main.id;
    ctx.otherProject = other.id;
    ctx.foreignItem = other.itemIds[0]!;
    ctx.textProject = (await createProject(api, { inputKind: 'text', shape: null })).id;
    ctx.admin = await createUserWithSession(api, { role: 'admin' });
    ctx.alice = await createUserWithSession(api, { projectIds: [main.id] });
    ctx.bob = await createUserWithSession(api, { projectIds: [main.id] });
    ctx.outsider = await createUserWithSession(api, { projectIds: [other.id] });
    ctx.deactivated = await createUserWithSession(api, { projectIds: [main.id] });
    await db.query(`UPDATE users SET active = false WHERE id = $1`, [ctx.deactivated.id]);
    ctx.expiredCookie = await insertSession(ctx.alice.id, `now() - interval '1 minute'`);
    ctx.revokedCookie = await insertSession(ctx.alice.id, `now() + interval '1 day'`, true);
    ctx.adminToken = await insertToken(ctx.admin.id, false);
    ctx.revokedToken = await insertToken(ctx.admin.id, true);

    // alice labels her first item; bob holds the next one.
    const first = await next(ctx.alice, main.id);
    ctx.labelledItem = first.item.id;
    const submitted = await http()
      .post(`/items/${first.item.id}/labels`)
      .set('Cookie', ctx.alice.cookie)
      .send({ value: 'cat', clientRequestId: 'alice-1', leaseId: first.lease.id })
      .expect(201);
    ctx.aliceLabel = submitted.body.label.id;
    // alice takes an item, her lease runs out, bob takes it over.
    const expiring = await next(ctx.alice, main.id);
    ctx.takenOverItem = expiring.item.id;
    await db.query(`UPDATE leases SET expires_at = now() - interval '1 second' WHERE item_id = $1`, [
      expiring.item.id,
    ]);
    const bobs = await next(ctx.bob, main.id);
    expect(bobs.item.id).toBe(expiring.item.id);
    // ...and bob's second item (after his first lease is released by a label) is never served to alice.
    await http()
      .post(`/items/${bobs.item.id}/labels`)
      .set('Cookie', ctx.bob.cookie)
      .send({ value: 'dog', clientRequestId: 'bob-1' })
      .expect(201);
    const bobsSecond = await next(ctx.bob, main.id);
    ctx.bobsItem = bobsSecond.item.id;
    ctx.bobsLease = bobsSecond.lease.id;
    // takenOverItem is now labelled by bob; re-lease it to bob so alice's late submit meets a live lease.
    await db.query(`DELETE FROM labels WHERE item_id = $1`, [expiring.item.id]);
    await db.query(`UPDATE items SET remaining_labels = 1, label_count = 0 WHERE id = $1`, [expiring.item.id]);
    await db.query(
      `INSERT INTO leases (project_id, item_id, labeller_id, expires_at)
       VALUES ($1, $2, $3, now() + interval '1 hour')`,
      [main.id, expiring.item.id, ctx.bob.id],
    );
    // Let the outbox relay publish what the setup wrote, so it does not change rows during the cases.
    await waitFor(async () => {
      const [{ pending }] = await db.query(`SELECT count(*)::int AS pending FROM outbox WHERE published_at IS NULL`);
      return pending === 0;
    });
  });

  afterAll(async () => {
    await api?.close();
  });

  let snapshotSql = '';

  /** Row count and content hash of every table (the outbox without the relay's bookkeeping), in one query. */
  async function snapshot(): Promise<Record<string, string>> {
    if (!snapshotSql) {
      const tables: { name: string }[] = await db.query(
        `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations' ORDER BY 1`,
      );
      snapshotSql = tables
        .map(({ name }) => {
          const source = name === 'outbox' ? `(SELECT id, event_id, event_type, envelope FROM outbox)` : `"${name}"`;
          return `SELECT '${name}' AS name, count(*) || ':' || md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS state FROM ${source} t`;
        })
        .join(' UNION ALL ');
    }
    const rows: { name: string; state: string }[] = await db.query(snapshotSql);
    return Object.fromEntries(rows.map((row) => [row.name, row.state]));
  }

  type Call = () => request.Test;
  interface Case {
    name: string;
    send: Call;
    status: number;
    /** What the message must say (4xx), or what the body must hold (2xx answers that write nothing). */
    says: RegExp;
  }

  const cookie = (user: () => TestUser) => (test: request.Test) => test.set('Cookie', user().cookie);
  const asAdmin = cookie(() => ctx.admin);
  const asAlice = cookie(() => ctx.alice);
  const submit = (item: () => number, body: unknown, as = asAlice): Call => () =>
    as(http().post(`/items/${item()}/labels`)).send(body as object);
  const importBody = (type: string, body: string | Buffer, project = () => ctx.project): Call => () =>
    asAdmin(http().post(`/projects/${project()}/items`)).set('Content-Type', type).send(body);
  const newProject = (body: unknown): Call => () => asAdmin(http().post('/projects')).send(body as object);
  const rawJson = (path: string, body: string): Call => () =>
    asAdmin(http().post(path)).set('Content-Type', 'application/json').send(body);
  const validProject = { name: 'ok', classes: ['a', 'b'], shape: [2] };

  const cases: Case[] = [
    // --- missing or forged auth
    { name: 'no credentials', send: () => http().get('/projects'), status: 401, says: /sign in/ },
    {
      name: 'forged session cookie',
      send: () => http().get('/projects').set('Cookie', 'foreman_session=forged'),
      status: 401,
      says: /session/,
    },
    {
      name: 'expired session',
      send: () => http().get('/projects').set('Cookie', ctx.expiredCookie),
      status: 401,
      says: /expired/,
    },
    {
      name: 'signed-out (revoked) session',
      send: () => http().post(`/projects/${ctx.project}/next`).set('Cookie', ctx.revokedCookie),
      status: 401,
      says: /session/,
    },
    {
      name: 'deactivated user with a live session',
      send: () => http().post(`/projects/${ctx.project}/next`).set('Cookie', ctx.deactivated.cookie),
      status: 401,
      says: /.+/,
    },
    {
      name: 'unknown bearer token',
      send: () => http().get('/projects').set('Authorization', `Bearer ${newSecretToken()}`),
      status: 401,
      says: /token/,
    },
    {
      name: 'revoked bearer token',
      send: () => http().get('/projects').set('Authorization', `Bearer ${ctx.revokedToken}`),
      status: 401,
      says: /revoked/,
    },
    {
      name: 'Basic instead of Bearer',
      send: () => http().get('/projects').set('Authorization', 'Basic YWRtaW46YWRtaW4='),
      status: 401,
      says: /Bearer/,
    },
    {
      name: 'labeller calls an admin route',
      send: () => asAlice(http().post('/projects')).send(validProject),
      status: 403,
      says: /admin/i,
    },
    {
      name: 'sign-in with a wrong password',
      send: () => http().post('/auth/sign-in').send({ email: ctx.alice.email, password: 'wrong' }),
      status: 401,
      says: /wrong email or password/,
    },
    {
      name: 'sign-in with a SQL-looking email',
      send: () => http().post('/auth/sign-in').send({ email: "' OR 1=1 --", password: 'x' }),
      status: 400,
      says: /email/,
    },

    // --- malformed bodies
    { name: 'malformed JSON', send: rawJson('/projects', '{"name": "x",'), status: 400, says: /JSON/ },
    {
      name: 'NaN literal in JSON',
      send: rawJson('/projects', '{"name":"x","classes":["a","b"],"shape":[2],"labelsPerItem":NaN}'),
      status: 400,
      says: /JSON/,
    },
    {
      name: 'number that overflows to Infinity (1e999)',
      send: rawJson('/projects', '{"name":"x","classes":["a","b"],"shape":[2],"leaseSeconds":1e999}'),
      status: 400,
      says: /leaseSeconds/,
    },
    {
      name: 'oversized JSON body (2 MB)',
      send: newProject({ ...validProject, description: 'x'.repeat(2 * 1024 * 1024) }),
      status: 413,
      says: /too large/,
    },
    {
      name: 'JSON array instead of an object',
      send: submit(() => ctx.bobsItem, [{ value: 'cat', clientRequestId: 'a' }]),
      status: 400,
      says: /.+/,
    },
    {
      name: 'submit as text/plain',
      send: () =>
        asAlice(http().post(`/items/${ctx.bobsItem}/labels`))
          .set('Content-Type', 'text/plain')
          .send('{"value":"cat","clientRequestId":"tp"}'),
      status: 400,
      says: /.+/,
    },
    {
      name: 'unknown field in a submit (strict schema)',
      send: submit(() => ctx.bobsItem, { value: 'cat', clientRequestId: 'u1', labellerId: 'someone-else' }),
      status: 400,
      says: /labellerId/,
    },
    {
      name: 'unknown field in a new project (strict schema)',
      send: newProject({ ...validProject, id: '00000000-0000-0000-0000-000000000000' }),
      status: 400,
      says: /id/,
    },

    // --- project settings
    { name: 'one class only', send: newProject({ ...validProject, classes: ['a'] }), status: 400, says: /2 classes/ },
    {
      name: 'duplicate class names',
      send: newProject({ ...validProject, classes: ['a', 'a'] }),
      status: 400,
      says: /unique/,
    },
    {
      name: 'vector project without a shape',
      send: newProject({ name: 'x', classes: ['a', 'b'] }),
      status: 400,
      says: /shape/,
    },
    {
      name: 'very long project name (100k characters)',
      send: newProject({ ...validProject, name: 'é'.repeat(100_000) }),
      status: 400,
      says: /name/,
    },
    {
      name: 'NUL byte in a project name',
      send: newProject({ ...validProject, name: 'bad\u0000name' }),
      status: 400,
      says: /name/,
    },
    {
      name: 'NUL byte in a class name',
      send: newProject({ ...validProject, classes: ['a\u0000', 'b'] }),
      status: 400,
      says: /NUL/,
    },
    {
      name: 'lone surrogate in a project name',
      send: rawJson('/projects', '{"name":"bad \\ud800 name","classes":["a","b"],"shape":[2]}'),
      status: 400,
      says: /name/,
    },
    {
      name: 'labels per item as a string',
      send: newProject({ ...validProject, labelsPerItem: '2' }),
      status: 400,
      says: /labelsPerItem/,
    },

    // --- label values
    { name: 'unknown class', send: submit(() => ctx.bobsItem, { value: 'wolf', clientRequestId: 'c1' }), status: 400, says: /unknown class "wolf"/ },
    {
      name: 'SQL-looking class',
      send: submit(() => ctx.bobsItem, { value: "cat'); DELETE FROM labels; --", clientRequestId: 'c2' }),
      status: 400,
      says: /unknown class/,
    },
    {
      name: 'a set of classes in a single-label project',
      send: submit(() => ctx.bobsItem, { value: ['cat', 'dog'], clientRequestId: 'c3' }),
      status: 400,
      says: /one class per item/,
    },
    {
      name: 'empty class',
      send: submit(() => ctx.bobsItem, { value: '', clientRequestId: 'c4' }),
      status: 400,
      says: /value/,
    },
    {
      name: 'a number as the class',
      send: submit(() => ctx.bobsItem, { value: 3, clientRequestId: 'c5' }),
      status: 400,
      says: /value/,
    },
    {
      name: 'no clientRequestId',
      send: submit(() => ctx.bobsItem, { value: 'cat' }),
      status: 400,
      says: /clientRequestId/,
    },
    {
      name: 'clientRequestId of 10k characters',
      send: submit(() => ctx.bobsItem, { value: 'cat', clientRequestId: 'r'.repeat(10_000) }),
      status: 400,
      says: /clientRequestId/,
    },
    {
      name: 'leaseId that is not an integer',
      send: submit(() => ctx.bobsItem, { value: 'cat', clientRequestId: 'c6', leaseId: 1.5 }),
      status: 400,
      says: /leaseId/,
    },

    // --- ids
    { name: 'non-numeric item id', send: submit(() => 'abc' as unknown as number, { value: 'cat', clientRequestId: 'i1' }), status: 400, says: /item id must be a whole number from 1 to 2147483647/ },
    {
      name: 'item id beyond the integer range',
      send: submit(() => '99999999999' as unknown as number, { value: 'cat', clientRequestId: 'i2' }),
      status: 400,
      says: /whole number from 1 to 2147483647/,
    },
    {
      name: 'negative item id',
      send: submit(() => -1, { value: 'cat', clientRequestId: 'i3' }),
      status: 400,
      says: /whole number from 1 to 2147483647/,
    },
    {
      name: 'SQL in the item id',
      send: submit(() => '1 OR 1=1' as unknown as number, { value: 'cat', clientRequestId: 'i4' }),
      status: 400,
      says: /whole number from 1 to 2147483647/,
    },
    {
      name: 'unknown item id',
      send: submit(() => 2_000_000_000, { value: 'cat', clientRequestId: 'i5' }),
      status: 404,
      says: /2000000000/,
    },
    {
      name: "item in a project the caller isn't a member of",
      send: submit(() => ctx.foreignItem, { value: 'cat', clientRequestId: 'i6' }),
      status: 404,
      says: /not found/,
    },
    {
      name: 'next in a project that is not a uuid (SQL-looking)',
      send: () => asAlice(http().post(`/projects/${encodeURIComponent("' OR '1'='1")}/next`)),
      status: 404,
      says: /not found/,
    },
    {
      name: "next in another team's project",
      send: () => asAlice(http().post(`/projects/${ctx.otherProject}/next`)),
      status: 404,
      says: /not found/,
    },
    {
      name: 'skip an unknown item',
      send: () => asAlice(http().post('/items/2000000000/skip')),
      status: 404,
      says: /not found/,
    },

    // --- leases and replays
    {
      name: 'submit for an item leased to someone else (with their lease id)',
      send: submit(() => ctx.bobsItem, { value: 'cat', clientRequestId: 'l1', leaseId: ctx.bobsLease }),
      status: 409,
      says: /never served to you/,
    },
    {
      name: 'late submit after the lease expired and another labeller took the item',
      send: submit(() => ctx.takenOverItem, { value: 'cat', clientRequestId: 'l2' }),
      status: 409,
      says: /expired and another labeller holds it/,
    },
    {
      name: 'second label for the same item with a new clientRequestId',
      send: submit(() => ctx.labelledItem, { value: 'dog', clientRequestId: 'alice-2' }),
      status: 409,
      says: /already labelled/,
    },
    {
      name: 'replayed submit (same clientRequestId): the first label, nothing new',
      send: submit(() => ctx.labelledItem, { value: 'cat', clientRequestId: 'alice-1' }),
      status: 200,
      says: /"clientRequestId"|"label"/,
    },
    {
      name: 'clientRequestId reused for another item',
      send: submit(() => ctx.takenOverItem, { value: 'cat', clientRequestId: 'alice-1' }),
      status: 409,
      says: /already used/,
    },

    // --- undo and retract
    {
      name: "retract another user's label",
      send: () => cookie(() => ctx.bob)(http().delete(`/labels/${ctx.aliceLabel}`)),
      status: 403,
      says: /not yours/,
    },
    {
      name: "retract a label in another team's project",
      send: () => cookie(() => ctx.outsider)(http().delete(`/labels/${ctx.aliceLabel}`)),
      status: 404,
      says: /not found/,
    },
    {
      name: 'retract a non-numeric label id',
      send: () => asAlice(http().delete('/labels/abc')),
      status: 400,
      says: /label id/,
    },
    {
      name: 'undo with nothing to undo',
      send: () => cookie(() => ctx.outsider)(http().post(`/projects/${ctx.otherProject}/undo`)),
      status: 404,
      says: /no label to undo/,
    },
    {
      name: "undo in another team's project",
      send: () => cookie(() => ctx.outsider)(http().post(`/projects/${ctx.project}/undo`)),
      status: 404,
      says: /not found/,
    },

    // --- export query
    {
      name: 'unknown export format',
      send: () => asAdmin(http().get(`/projects/${ctx.project}/export?format=xml`)),
      status: 400,
      says: /format/,
    },
    {
      name: 'export format given twice',
      send: () => asAdmin(http().get(`/projects/${ctx.project}/export?format=csv&format=json`)),
      status: 400,
      says: /format/,
    },
    {
      name: 'labeller asks for an export',
      send: () => asAlice(http().get(`/projects/${ctx.project}/export?format=csv`)),
      status: 403,
      says: /admin/i,
    },

    // --- import
    {
      name: 'import as text/plain',
      send: importBody('text/plain', '1,2\n'),
      status: 415,
      says: /Content-Type|JSON|CSV/i,
    },
    { name: 'import: JSON that is not an array', send: importBody('application/json', '{"vector":[1,2]}'), status: 400, says: /array/ },
    { name: 'import: JSON that ends early', send: importBody('application/json', '[{"vector":[1,2]},'), status: 400, says: /.+/ },
    { name: 'import: empty body', send: importBody('text/csv', ''), status: 400, says: /empty/ },
    {
      name: 'import: CSV header with the wrong number of vector columns',
      send: importBody('text/csv', 'id,a,b,c\nx,1,2,3\n'),
      status: 400,
      says: /column/,
    },
    { name: 'import: CSV quote never closed', send: importBody('text/csv', 'id,a,b\n"x,1,2\n'), status: 400, says: /.+/ },
    {
      name: 'import: gzip claimed but body is not gzip',
      send: () =>
        asAdmin(http().post(`/projects/${ctx.project}/items`))
          .set('Content-Type', 'text/csv')
          .set('Content-Encoding', 'gzip')
          .send('id,a,b\nx,1,2\n'),
      status: 400,
      says: /.+/,
    },
    {
      name: 'import: NaN and Infinity cells in CSV (rows rejected, nothing written)',
      send: importBody('text/csv', 'id,a,b\nn1,NaN,1\nn2,Infinity,1\nn3,1,-Infinity\n'),
      status: 200,
      says: /"inserted":0.*"rejected":3.*not a finite number/,
    },
    {
      name: 'import: wrong vector lengths and string numbers in JSON (rows rejected)',
      send: importBody('application/json', '[{"id":"w1","vector":[1]},{"id":"w2","vector":[1,2,3]},{"id":"w3","vector":["1",2]}]'),
      status: 200,
      says: /"inserted":0.*"rejected":3/,
    },
    {
      name: 'import: 1e999 (Infinity) in an NDJSON vector (row rejected)',
      send: importBody('application/x-ndjson', '{"id":"inf","vector":[1e999,1]}\n'),
      status: 200,
      says: /"inserted":0.*"rejected":1.*finite/,
    },
    {
      name: 'import: NUL byte in an external id (row rejected)',
      send: importBody('application/x-ndjson', '{"id":"nul\\u0000id","vector":[1,2]}\n'),
      status: 200,
      says: /"inserted":0.*"rejected":1.*NUL/,
    },
    {
      name: 'import: NUL byte in a text item (row rejected)',
      send: importBody('application/x-ndjson', '{"id":"t1","text":"a\\u0000b"}\n', () => ctx.textProject),
      status: 200,
      says: /"inserted":0.*"rejected":1/,
    },
    {
      name: 'import by a labeller',
      send: () =>
        asAlice(http().post(`/projects/${ctx.project}/items`)).set('Content-Type', 'text/csv').send('a,b\n1,2\n'),
      status: 403,
      says: /admin/i,
    },

    // --- users
    {
      name: 'new user with an unknown role',
      send: () =>
        asAdmin(http().post('/users')).send({
          email: 'x@example.org',
          displayName: 'X',
          role: 'root',
          password: 'a long enough password',
        }),
      status: 400,
      says: /role/,
    },
    {
      name: 'new user with the email of an existing one (other case)',
      send: () =>
        asAdmin(http().post('/users')).send({
          email: ctx.alice.email.toUpperCase(),
          displayName: 'Dup',
          password: 'a long enough password',
        }),
      status: 409,
      says: /email|exists/i,
    },
    {
      name: 'admin bearer token, member id that is not a uuid',
      send: () =>
        http()
          .put(`/projects/${ctx.project}/members/not-a-uuid`)
          .set('Authorization', `Bearer ${ctx.adminToken}`),
      status: 400,
      says: /uuid/,
    },
  ];

  it('has at least 40 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const before = await snapshot();
    const response = await c.send();
    const after = await snapshot();
    const summary = `${response.status} ${JSON.stringify(response.body).slice(0, 300)}`;
    expect(summary).toMatch(new RegExp(`^${c.status} `));
    if (c.status >= 400) {
      const error = apiErrorSchema.parse(response.body);
      expect(error.statusCode).toBe(c.status);
      expect(error.message).toMatch(c.says);
    } else {
      expect(JSON.stringify(response.body)).toMatch(c.says);
    }
    expect(after).toEqual(before);
  });

  describe('strings that look like SQL or script are stored verbatim and never executed', () => {
    const odd = [
      "Robert'); DROP TABLE items; --",
      '<script>alert("x")</script>',
      '\u202Eevil\u202C name (RTL override)',
      'emoji 🐈‍⬛ and combining é',
      '${process.exit(1)} {{7*7}} %s %n',
    ];

    it('project names and class names round-trip exactly', async () => {
      const response = await asAdmin(http().post('/projects'))
        .send({ name: odd[0], description: odd[4], classes: [odd[1], odd[2], odd[3]], shape: [2] })
        .expect(201);
      const read = await asAdmin(http().get(`/projects/${response.body.id}`)).expect(200);
      expect(read.body).toMatchObject({ name: odd[0], description: odd[4], classes: [odd[1], odd[2], odd[3]] });
      const [{ items }] = await db.query(`SELECT count(*)::int AS items FROM items`);
      expect(items).toBeGreaterThan(0);
    });

    it('text items and ids round-trip exactly through import and export', async () => {
      const lines = odd.map((text, index) => JSON.stringify({ id: `${odd[0]}-${index}`, text })).join('\n');
      const imported = await asAdmin(http().post(`/projects/${ctx.textProject}/items`))
        .set('Content-Type', 'application/x-ndjson')
        .send(lines)
        .expect(200);
      expect(imported.body).toMatchObject({ inserted: odd.length, rejected: 0 });
      const exported = await asAdmin(http().get(`/projects/${ctx.textProject}/export?format=ndjson`)).expect(200);
      const rows = exported.text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { externalId?: string; id?: string; text?: string; payload?: unknown });
      const dump = JSON.stringify(rows);
      for (const text of odd) expect(dump).toContain(JSON.stringify(text).slice(1, -1));
    });
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

import request from 'supertest';
import { DataSource } from 'typeorm';
import { nextItemResponseSchema, retractLabelResponseSchema, submitLabelResponseSchema } from '@foreman/contracts';
import { createProjectWithItems, createUserWithSession, type TestUser } from './fixtures';
import { startTestApi, type TestApi } from './test-app';

describe('labels: submit, undo, retract', () => {
  let api: TestApi;
  let db: DataSource;

  beforeAll(async () => {
    api = await startTestApi();
    db = api.app.get(DataSource);
  });

  afterAll(async () => {
    await api?.close();
  });

  const http = () => request(api.app.getHttpServer());

  async function nextItemId(user: TestUser, projectId: string): Promise<number> {
    const response = await http().post(`/projects/${projectId}/next`).set('Cookie', user.cookie).expect(200);
    const answer = nextItemResponseSchema.parse(response.body);
    if (answer.status !== 'item') throw new Error('expected an item');
    return answer.item.id;
  }

  function submit(user: TestUser, itemId: number, body: object) {
    return http().post(`/items/${itemId}/labels`).set('Cookie', user.cookie).send(body);
  }

  async function projectWithLabellers(options: Parameters<typeof createProjectWithItems>[1], labellers = 1) {
    const project = await createProjectWithItems(api, options);
    const users = await Promise.all(
      Array.from({ length: labellers }, () => createUserWithSession(api, { projectIds: [project.id] })),
    );
    return { project, users };
  }

  async function itemRow(itemId: number) {
    const [row] = await db.query(
      `SELECT remaining_labels AS remaining, label_count AS "labelCount",
              (SELECT count(*)::int FROM leases WHERE item_id = $1) AS leases
         FROM items WHERE id = $1`,
      [itemId],
    );
    return row as { remaining: number; labelCount: number; leases: number };
  }

  async function outboxFor(itemId: number) {
    return (await db.query(
      `SELECT event_type AS type, envelope FROM outbox WHERE (envelope->'payload'->>'itemId')::int = $1 ORDER BY id`,
      [itemId],
    )) as { type: string; envelope: { correlationId?: string; payload: Record<string, unknown> } }[];
  }

  it('writes the label, the item’s count, the lease release and the event together', async () => {
    const { project, users } = await projectWithLabellers({ items: 2, labelsPerItem: 2 });
    const user = users[0]!;
    const itemId = await nextItemId(user, project.id);
    const response = await submit(user, itemId, { value: 'dog', clientRequestId: 'r-1' })
      .set('x-correlation-id', 'trace-submit-1')
      .expect(201);
    const answer = submitLabelResponseSchema.parse(response.body);
    expect(answer.label).toMatchObject({ itemId, labellerId: user.id, value: ['dog'], retractedAt: null });
    expect(answer.progress).toEqual({ total: 2, fullyLabelled: 0, inProgress: 1, remaining: 1, mine: 1 });
    expect(await itemRow(itemId)).toEqual({ remaining: 1, labelCount: 1, leases: 0 });
    const events = await outboxFor(itemId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'label.submitted.v1',
      envelope: {
        projectId: project.id,
        correlationId: 'trace-submit-1',
        payload: { labelId: answer.label.id, itemId, labellerId: user.id, value: ['dog'] },
      },
    });
  });

  it('answers a retried submit with the same label and writes nothing new', async () => {
    const { project, users } = await projectWithLabellers({ items: 1, labelsPerItem: 1 });
    const user = users[0]!;
    const itemId = await nextItemId(user, project.id);
    const body = { value: 'cat', clientRequestId: 'retry-me' };
    const first = await submit(user, itemId, body).expect(201);
    const again = await submit(user, itemId, body).expect(200);
    expect(again.body).toEqual(first.body);
    expect(await itemRow(itemId)).toEqual({ remaining: 0, labelCount: 1, leases: 0 });
    expect(await outboxFor(itemId)).toHaveLength(1);

    // The same id with another value is no retry: refused, and the first label stays.
    const changed = await submit(user, itemId, { ...body, value: 'dog' }).expect(409);
    expect(changed.body.message).toBe(
      'clientRequestId "retry-me" was already used for the label ["cat"] on this item; a retry must send the same value',
    );
    expect(await itemRow(itemId)).toEqual({ remaining: 0, labelCount: 1, leases: 0 });
  });

  it('answers the next item with the label when asked (the same one again on a retry), none once archived', async () => {
    const { project, users } = await projectWithLabellers({ items: 3, labelsPerItem: 1 });
    const user = users[0]!;
    const first = await nextItemId(user, project.id);
    const body = { value: 'cat', clientRequestId: 'and-next', next: true };
    const answer = submitLabelResponseSchema.parse((await submit(user, first, body).expect(201)).body);
    if (answer.next?.status !== 'item') throw new Error('expected the next item with the label');
    const second = answer.next.item.id;
    expect(second).not.toBe(first);
    expect(answer.progress).toEqual(answer.next.progress);
    expect(answer.progress).toMatchObject({ fullyLabelled: 1, mine: 1 });
    // The next item is leased to the caller: POST next answers the same lease.
    expect(await nextItemId(user, project.id)).toBe(second);
    const retried = submitLabelResponseSchema.parse((await submit(user, first, body).expect(200)).body);
    expect(retried.label.id).toBe(answer.label.id);
    expect(retried.next).toEqual(answer.next);

    await db.query(`UPDATE projects SET archived = true WHERE id = $1`, [project.id]);
    const closed = await submit(user, second, { value: 'dog', clientRequestId: 'closed', next: true }).expect(201);
    expect(closed.body.next).toBeUndefined();
  });

  it('creates one label when the same request arrives several times at once', async () => {
    const { project, users } = await projectWithLabellers({ items: 1, labelsPerItem: 1 });
    const user = users[0]!;
    const itemId = await nextItemId(user, project.id);
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => submit(user, itemId, { value: 'bird', clientRequestId: 'burst' })),
    );
    expect(responses.map((response) => response.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(responses.map((response) => response.body.label.id)).size).toBe(1);
    expect(await itemRow(itemId)).toEqual({ remaining: 0, labelCount: 1, leases: 0 });
    expect(await outboxFor(itemId)).toHaveLength(1);
  });

  it('refuses a client request id already used on another item', async () => {
    const { project, users } = await projectWithLabellers({ items: 2 });
    const user = users[0]!;
    await submit(user, await nextItemId(user, project.id), { value: 'cat', clientRequestId: 'once' }).expect(201);
    const second = await nextItemId(user, project.id);
    const response = await submit(user, second, { value: 'cat', clientRequestId: 'once' }).expect(409);
    expect(response.body.message).toMatch(/already used for a label on item/);
  });

  it('answers 400 naming the allowed classes for an unknown one, and writes nothing', async () => {
    const { project, users } = await projectWithLabellers({ items: 1, classes: ['cat', 'dog'] });
    const user = users[0]!;
    const itemId = await nextItemId(user, project.id);
    const response = await submit(user, itemId, { value: 'cow', clientRequestId: 'x' }).expect(400);
    expect(response.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'value: unknown class "cow"; the allowed classes are "cat", "dog"',
      details: { allowed: ['cat', 'dog'], unknown: ['cow'] },
    });
    await submit(user, itemId, { value: ['cat'], clientRequestId: 'x' }).expect(400);
    expect(await itemRow(itemId)).toEqual({ remaining: 1, labelCount: 0, leases: 1 });
    expect(await outboxFor(itemId)).toHaveLength(0);
  });

  it('rejects malformed bodies with a 400 that names the field', async () => {
    const { project, users } = await projectWithLabellers({ items: 1 });
    const user = users[0]!;
    const itemId = await nextItemId(user, project.id);
    const missing = await submit(user, itemId, { value: 'cat' }).expect(400);
    expect(missing.body.message).toMatch(/clientRequestId/);
    await submit(user, itemId, { value: 'cat', clientRequestId: 'a', extra: 1 }).expect(400);
    await submit(user, itemId, { value: '', clientRequestId: 'a' }).expect(400);
    await submit(user, itemId, { value: 'cat', clientRequestId: 'x'.repeat(101) }).expect(400);
    await http()
      .post(`/items/${itemId}/labels`)
      .set('Cookie', user.cookie)
      .set('Content-Type', 'application/json')
      .send('{"value": "cat",')
      .expect(400);
    await submit(user, 999_999, { value: 'cat', clientRequestId: 'a' }).expect(404);
    await submit(user, 0, { value: 'cat', clientRequestId: 'a' }).expect(400);
    expect(await itemRow(itemId)).toEqual({ remaining: 1, labelCount: 0, leases: 1 });
  });

  it('stores a multi-label value as a set in class order', async () => {
    const { project, users } = await projectWithLabellers({ items: 1, multiLabel: true });
    const user = users[0]!;
    const itemId = await nextItemId(user, project.id);
    await submit(user, itemId, { value: 'dog', clientRequestId: 'm' }).expect(400);
    const unknown = await submit(user, itemId, { value: ['dog', 'fish'], clientRequestId: 'm' }).expect(400);
    expect(unknown.body.message).toBe('value: unknown class "fish"; the allowed classes are "cat", "dog", "bird"');
    const response = await submit(user, itemId, { value: ['bird', 'cat', 'bird'], clientRequestId: 'm' }).expect(201);
    expect(response.body.label.value).toEqual(['cat', 'bird']);
  });

  it('refuses to label an item the caller was never served', async () => {
    const { project, users } = await projectWithLabellers({ items: 2 }, 2);
    const [a, b] = users as [TestUser, TestUser];
    const held = await nextItemId(a, project.id);
    const byB = await submit(b, held, { value: 'cat', clientRequestId: 'steal' }).expect(409);
    expect(byB.body).toMatchObject({ message: expect.stringMatching(/never served to you/), reason: 'never-served' });
    const free = project.itemIds[1]!;
    await submit(b, free, { value: 'cat', clientRequestId: 'free' }).expect(409);
    expect(await itemRow(free)).toEqual({ remaining: 1, labelCount: 0, leases: 0 });
  });

  it('accepts a submit after the lease expired while the item still needs labels and nobody holds it', async () => {
    const { project, users } = await projectWithLabellers({ items: 1 });
    const user = users[0]!;
    const itemId = await nextItemId(user, project.id);
    // Expired, and even swept away by the scheduler: the labeller was still the last one served it.
    await db.query(`DELETE FROM leases WHERE item_id = $1`, [itemId]);
    await submit(user, itemId, { value: 'cat', clientRequestId: 'late' }).expect(201);
    expect(await itemRow(itemId)).toEqual({ remaining: 0, labelCount: 1, leases: 0 });
  });

  it('answers 409 saying why when a late submit comes too late', async () => {
    const { project, users } = await projectWithLabellers({ items: 1 }, 3);
    const [a, b, c] = users as [TestUser, TestUser, TestUser];
    const itemId = await nextItemId(a, project.id);
    await db.query(`UPDATE leases SET expires_at = now() - interval '1 second' WHERE item_id = $1`, [itemId]);
    expect(await nextItemId(b, project.id)).toBe(itemId);
    const held = await submit(a, itemId, { value: 'cat', clientRequestId: 'late-a' }).expect(409);
    expect(held.body.message).toBe(`your lease on item ${itemId} expired and another labeller holds it now`);
    expect(held.body.reason).toBe('lease-expired');
    await submit(b, itemId, { value: 'dog', clientRequestId: 'b' }).expect(201);
    const full = await submit(a, itemId, { value: 'cat', clientRequestId: 'late-a' }).expect(409);
    expect(full.body.message).toBe(
      `your lease on item ${itemId} expired and the item already has all the labels it needs`,
    );
    expect(full.body.reason).toBe('lease-expired');
    await submit(c, itemId, { value: 'cat', clientRequestId: 'c' }).expect(409);
    expect(await itemRow(itemId)).toEqual({ remaining: 0, labelCount: 1, leases: 0 });
  });

  it('refuses a second label on the same item from the same labeller', async () => {
    const { project, users } = await projectWithLabellers({ items: 1, labelsPerItem: 3 });
    const user = users[0]!;
    const itemId = await nextItemId(user, project.id);
    await submit(user, itemId, { value: 'cat', clientRequestId: 'one' }).expect(201);
    const twice = await submit(user, itemId, { value: 'dog', clientRequestId: 'two' }).expect(409);
    expect(twice.body).toMatchObject({ message: expect.stringMatching(/already labelled item/), reason: 'already-labelled' });
    expect(await itemRow(itemId)).toEqual({ remaining: 2, labelCount: 1, leases: 0 });
  });

  it('answers 409 fully-labelled for an item that got all its labels while the caller held it', async () => {
    const { project, users } = await projectWithLabellers({ items: 1 });
    const user = users[0]!;
    const itemId = await nextItemId(user, project.id);
    await db.query(`UPDATE items SET remaining_labels = 0 WHERE id = $1`, [itemId]); // (labels per item lowered)
    const response = await submit(user, itemId, { value: 'cat', clientRequestId: 'held' }).expect(409);
    expect(response.body).toMatchObject({
      message: `item ${itemId} already has all the labels it needs`,
      reason: 'fully-labelled',
    });
  });

  it('undo retracts the caller’s latest label and leases that item back to them', async () => {
    const { project, users } = await projectWithLabellers({ items: 3 });
    const user = users[0]!;
    const first = await nextItemId(user, project.id);
    const { body: submitted } = await submit(user, first, { value: 'cat', clientRequestId: 'u1' }).expect(201);
    const second = await nextItemId(user, project.id); // the labeller moved on before pressing undo

    const response = await http()
      .post(`/projects/${project.id}/undo`)
      .set('Cookie', user.cookie)
      .set('x-correlation-id', 'trace-undo')
      .expect(200);
    const answer = retractLabelResponseSchema.parse(response.body);
    expect(answer.label.id).toBe(submitted.label.id);
    expect(answer.label.retractedAt).not.toBeNull();
    expect(answer.next).toMatchObject({ status: 'item', item: { id: first }, progress: { mine: 0 } });
    expect(await itemRow(first)).toEqual({ remaining: 1, labelCount: 0, leases: 1 });
    const events = await outboxFor(first);
    expect(events.map((event) => event.type)).toEqual(['label.submitted.v1', 'label.retracted.v1']);
    expect(events[1]!.envelope).toMatchObject({
      correlationId: 'trace-undo',
      payload: { labelId: submitted.label.id, itemId: first, labellerId: user.id },
    });

    // A reload shows the item given back; labelling it again works, then the queue resumes.
    expect(await nextItemId(user, project.id)).toBe(first);
    await submit(user, first, { value: 'dog', clientRequestId: 'u2' }).expect(201);
    expect(await nextItemId(user, project.id)).toBe(second);
  });

  it('undo puts the item back in the queue when someone else holds it by now', async () => {
    const { project, users } = await projectWithLabellers({ items: 1, labelsPerItem: 2 }, 2);
    const [a, b] = users as [TestUser, TestUser];
    const itemId = await nextItemId(a, project.id);
    await submit(a, itemId, { value: 'cat', clientRequestId: 'a' }).expect(201);
    expect(await nextItemId(b, project.id)).toBe(itemId);
    const response = await http().post(`/projects/${project.id}/undo`).set('Cookie', a.cookie).expect(200);
    expect(response.body.next.status).toBe('done');
    expect(await itemRow(itemId)).toEqual({ remaining: 2, labelCount: 0, leases: 1 });
    await submit(b, itemId, { value: 'dog', clientRequestId: 'b' }).expect(201);
    expect(await nextItemId(a, project.id)).toBe(itemId);
  });

  it('a retried undo (same clientRequestId) answers the label it took back, never the one before', async () => {
    const { project, users } = await projectWithLabellers({ items: 3 });
    const user = users[0]!;
    const labelled: { itemId: number; labelId: number }[] = [];
    for (const id of ['r1', 'r2']) {
      const itemId = await nextItemId(user, project.id);
      const { body } = await submit(user, itemId, { value: 'cat', clientRequestId: id }).expect(201);
      labelled.push({ itemId, labelId: body.label.id as number });
    }
    const [older, latest] = labelled as [(typeof labelled)[0], (typeof labelled)[0]];
    const undo = (body: object) =>
      http().post(`/projects/${project.id}/undo`).set('Cookie', user.cookie).send(body).expect(200);

    // One undo sent three times (its answer lost twice), then a second undo of its own.
    for (let send = 0; send < 3; send++) {
      const answer = retractLabelResponseSchema.parse((await undo({ clientRequestId: 'undo-1' })).body);
      expect(answer.label.id).toBe(latest.labelId);
      expect(answer.next).toMatchObject({ status: 'item', item: { id: latest.itemId } });
    }
    expect(await itemRow(older.itemId)).toMatchObject({ remaining: 0, labelCount: 1 });
    const retractions = (await outboxFor(latest.itemId)).filter((event) => event.type === 'label.retracted.v1');
    expect(retractions).toHaveLength(1);

    const second = retractLabelResponseSchema.parse((await undo({ clientRequestId: 'undo-2' })).body);
    expect(second.label.id).toBe(older.labelId);
    // (no body at all: an undo without an id, as before)
    await http().post(`/projects/${project.id}/undo`).set('Cookie', user.cookie).expect(404);
  });

  it('takes back one label when the same undo arrives several times at once', async () => {
    const { project, users } = await projectWithLabellers({ items: 2 });
    const user = users[0]!;
    for (const id of ['c1', 'c2']) {
      await submit(user, await nextItemId(user, project.id), { value: 'cat', clientRequestId: id }).expect(201);
    }
    const sends = await Promise.all(
      Array.from({ length: 4 }, () =>
        http().post(`/projects/${project.id}/undo`).set('Cookie', user.cookie).send({ clientRequestId: 'same' }),
      ),
    );
    expect(sends.map((response) => response.status)).toEqual([200, 200, 200, 200]);
    expect(new Set(sends.map((response) => response.body.label.id)).size).toBe(1);
    const [{ live }] = await db.query(
      `SELECT count(*)::int AS live FROM labels WHERE labeller_id = $1 AND retracted_at IS NULL`,
      [user.id],
    );
    expect(live).toBe(1);
  });

  it('refuses an undo body other than {clientRequestId}, naming the fields', async () => {
    const { project, users } = await projectWithLabellers({ items: 1 });
    const response = await http()
      .post(`/projects/${project.id}/undo`)
      .set('Cookie', users[0]!.cookie)
      .send({ clientRequestId: '', labelId: 3 })
      .expect(400);
    expect(response.body.message).toMatch(/clientRequestId/);
    expect(response.body.message).toMatch(/labelId/);
  });

  it('retracts only the caller’s own labels: 403 for another’s, 404 for unknown, 409 when already retracted', async () => {
    const { project, users } = await projectWithLabellers({ items: 2 }, 2);
    const [a, b] = users as [TestUser, TestUser];
    const itemId = await nextItemId(a, project.id);
    const { body } = await submit(a, itemId, { value: 'cat', clientRequestId: 'mine' }).expect(201);
    const labelId = body.label.id as number;

    const forbidden = await http().delete(`/labels/${labelId}`).set('Cookie', b.cookie).expect(403);
    expect(forbidden.body.message).toBe(`label ${labelId} is not yours to retract`);
    await http().post(`/projects/${project.id}/undo`).set('Cookie', b.cookie).expect(404);
    const outsider = await createUserWithSession(api);
    await http().delete(`/labels/${labelId}`).set('Cookie', outsider.cookie).expect(404);
    await http().delete(`/labels/999999`).set('Cookie', a.cookie).expect(404);
    await http().delete(`/labels/abc`).set('Cookie', a.cookie).expect(400);
    expect(await itemRow(itemId)).toMatchObject({ remaining: 0, labelCount: 1 });

    const own = await http().delete(`/labels/${labelId}`).set('Cookie', a.cookie).expect(200);
    expect(own.body.label.retractedAt).not.toBeNull();
    expect(own.body.next).toMatchObject({ status: 'item', item: { id: itemId } });
    const again = await http().delete(`/labels/${labelId}`).set('Cookie', a.cookie).expect(409);
    expect(again.body.reason).toBe('already-retracted');
    expect(await itemRow(itemId)).toEqual({ remaining: 1, labelCount: 0, leases: 1 });
  });
});

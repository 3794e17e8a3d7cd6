import request from 'supertest';
import { DataSource } from 'typeorm';
import type { NextItemResponse } from '@foreman/contracts';
import { clearSkipsResponseSchema, nextItemResponseSchema } from '@foreman/contracts';
import { applyRanking, createProjectWithItems, createUserWithSession, type TestUser } from './fixtures';
import { startTestApi, type TestApi } from './test-app';

describe('POST /projects/:id/next and POST /items/:id/skip', () => {
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

  async function next(user: TestUser, projectId: string): Promise<NextItemResponse> {
    const response = await http().post(`/projects/${projectId}/next`).set('Cookie', user.cookie).expect(200);
    return nextItemResponseSchema.parse(response.body);
  }

  async function nextItemId(user: TestUser, projectId: string): Promise<number> {
    const answer = await next(user, projectId);
    if (answer.status !== 'item') throw new Error('expected an item');
    return answer.item.id;
  }

  async function label(user: TestUser, itemId: number, value = 'cat') {
    return http()
      .post(`/items/${itemId}/labels`)
      .set('Cookie', user.cookie)
      .send({ value, clientRequestId: `${user.id}-${itemId}` })
      .expect(201);
  }

  it('serves the top-ranked item with its lease (server clock), reason and progress', async () => {
    const project = await createProjectWithItems(api, { items: 3, leaseSeconds: 120 });
    await applyRanking(api, project.id, {
      modelVersion: 4,
      strategy: 'entropy',
      ranked: [{ itemId: project.itemIds[2]!, score: 0.9 }],
    });
    const user = await createUserWithSession(api, { projectIds: [project.id] });
    const before = Date.now();
    const answer = await next(user, project.id);
    expect(answer).toMatchObject({
      status: 'item',
      item: { id: project.itemIds[2], externalId: 'item-3', payload: { vector: [3, 3] } },
      reason: { rank: 0, score: 0.9, strategy: 'entropy', modelVersion: 4, shuffled: false },
      progress: { total: 3, fullyLabelled: 0, inProgress: 1, remaining: 2, mine: 0 },
    });
    if (answer.status !== 'item') throw new Error('expected an item');
    const expiresIn = Date.parse(answer.lease.expiresAt) - before;
    expect(expiresIn).toBeGreaterThan(110_000);
    expect(expiresIn).toBeLessThan(130_000);
  });

  it('serves the applied ranking in rank order, then the items it leaves out in import order', async () => {
    const project = await createProjectWithItems(api, { items: 5 });
    const [a, b, c, d, e] = project.itemIds as [number, number, number, number, number];
    const ranked = (ids: number[]) => ids.map((itemId, rank) => ({ itemId, score: 1 - rank / 10 }));
    await applyRanking(api, project.id, { modelVersion: 1, strategy: 'margin', ranked: ranked([a, b]) });
    // Version 2 is in force; version 1's rows (not yet cleaned up) must not count. The shuffle put b second.
    await applyRanking(api, project.id, {
      modelVersion: 2,
      strategy: 'entropy',
      ranked: [
        { itemId: d, score: 0.9 },
        { itemId: b, score: 0.1, shuffled: true },
      ],
    });
    const labeller = await createUserWithSession(api, { projectIds: [project.id] });

    const served: number[] = [];
    for (let i = 0; i < 5; i++) {
      const answer = await next(labeller, project.id);
      if (answer.status !== 'item') throw new Error('expected an item');
      served.push(answer.item.id);
      expect(answer.reason.modelVersion).toBe(i < 2 ? 2 : null);
      expect(answer.reason.rank).toBe(i < 2 ? i : null);
      expect(answer.reason.shuffled).toBe(i === 1);
      await label(labeller, answer.item.id);
    }
    expect(served).toEqual([d, b, a, c, e]);
  });

  it('drops an item from the ranking once it has all its labels, and keeps it while it needs more', async () => {
    const project = await createProjectWithItems(api, { items: 2, labelsPerItem: 2 });
    const [first, second] = project.itemIds as [number, number];
    await applyRanking(api, project.id, {
      modelVersion: 1,
      strategy: 'margin',
      ranked: [
        { itemId: second, score: 0.9 },
        { itemId: first, score: 0.1 },
      ],
    });
    const rankedIds = async () => {
      const rows: { item_id: number }[] = await db.query(
        `SELECT r.item_id FROM queue_ranks r JOIN project_queue_state s ON s.applied_ranking_id = r.ranking_id
          WHERE s.project_id = $1 ORDER BY r.rank`,
        [project.id],
      );
      return rows.map((row) => row.item_id);
    };
    const [ann, ben] = [
      await createUserWithSession(api, { projectIds: [project.id] }),
      await createUserWithSession(api, { projectIds: [project.id] }),
    ];

    expect(await nextItemId(ann, project.id)).toBe(second);
    await label(ann, second);
    expect(await rankedIds()).toEqual([second, first]);
    expect(await nextItemId(ben, project.id)).toBe(second);
    await label(ben, second);
    expect(await rankedIds()).toEqual([first]);
  });

  it('returns the same leased item on a page reload', async () => {
    const project = await createProjectWithItems(api, { items: 5 });
    const user = await createUserWithSession(api, { projectIds: [project.id] });
    const first = await next(user, project.id);
    const again = await next(user, project.id);
    expect(again).toEqual(first);
    const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM leases WHERE project_id = $1`, [
      project.id,
    ]);
    expect(count).toBe(1);
  });

  it('never serves an item someone holds, even when it needs more labels', async () => {
    const project = await createProjectWithItems(api, { items: 2, labelsPerItem: 3 });
    const [a, b, c] = await Promise.all(
      [1, 2, 3].map(() => createUserWithSession(api, { projectIds: [project.id] })),
    );
    const itemA = await nextItemId(a!, project.id);
    const itemB = await nextItemId(b!, project.id);
    expect(itemA).toBe(project.itemIds[0]);
    expect(itemB).toBe(project.itemIds[1]);
    expect((await next(c!, project.id)).status).toBe('done');
    // Once A has labelled it, the item (still needing two labels) goes to C, but never back to A.
    await label(a!, itemA);
    expect(await nextItemId(c!, project.id)).toBe(itemA);
    expect((await next(a!, project.id)).status).toBe('done');
  });

  it('returns an expired lease’s item to the queue', async () => {
    const project = await createProjectWithItems(api, { items: 1, leaseSeconds: 60 });
    const [a, b] = await Promise.all(
      [1, 2].map(() => createUserWithSession(api, { projectIds: [project.id] })),
    );
    const first = await next(a!, project.id);
    expect((await next(b!, project.id)).status).toBe('done');
    // Time passes on the database clock: the lease runs out without anyone sweeping it.
    await db.query(`UPDATE leases SET expires_at = now() - interval '1 second' WHERE project_id = $1`, [
      project.id,
    ]);
    const taken = await next(b!, project.id);
    expect(taken.status).toBe('item');
    if (taken.status !== 'item' || first.status !== 'item') throw new Error('expected items');
    expect(taken.item.id).toBe(first.item.id);
    expect(taken.lease.id).not.toBe(first.lease.id);
    const leases = await db.query(`SELECT labeller_id FROM leases WHERE item_id = $1`, [taken.item.id]);
    expect(leases).toEqual([{ labeller_id: b!.id }]);
  });

  it('moves on when the held item stops needing labels (a lowered quota), and closes archived projects', async () => {
    const project = await createProjectWithItems(api, { items: 2 });
    const user = await createUserWithSession(api, { projectIds: [project.id] });
    const held = await nextItemId(user, project.id);
    await db.query(`UPDATE items SET remaining_labels = 0 WHERE id = $1`, [held]);
    expect(await nextItemId(user, project.id)).toBe(project.itemIds[1]);
    await db.query(`UPDATE projects SET archived = true WHERE id = $1`, [project.id]);
    const closed = await http().post(`/projects/${project.id}/next`).set('Cookie', user.cookie).expect(409);
    expect(closed.body).toMatchObject({ message: expect.stringMatching(/archived/), reason: 'archived' });
  });

  it('answers done with the progress counts when everything is labelled', async () => {
    const project = await createProjectWithItems(api, { items: 2 });
    const user = await createUserWithSession(api, { projectIds: [project.id] });
    await label(user, await nextItemId(user, project.id));
    await label(user, await nextItemId(user, project.id));
    expect(await next(user, project.id)).toEqual({
      status: 'done',
      progress: { total: 2, fullyLabelled: 2, inProgress: 0, remaining: 0, mine: 2 },
      skipped: 0,
      heldByOthers: 0,
    });
  });

  it('skip releases the lease: the item is not offered to this labeller again, but is to others', async () => {
    const project = await createProjectWithItems(api, { items: 2 });
    const [a, b] = await Promise.all(
      [1, 2].map(() => createUserWithSession(api, { projectIds: [project.id] })),
    );
    const skipped = await nextItemId(a!, project.id);
    const response = await http().post(`/items/${skipped}/skip`).set('Cookie', a!.cookie).expect(200);
    expect(response.body).toEqual({
      progress: { total: 2, fullyLabelled: 0, inProgress: 0, remaining: 2, mine: 0 },
    });
    expect(await nextItemId(a!, project.id)).toBe(project.itemIds[1]);
    expect(await nextItemId(b!, project.id)).toBe(skipped);
  });

  it('release gives the item back to the queue at once, without a skip: to others and to the caller', async () => {
    const project = await createProjectWithItems(api, { items: 2 });
    const [a, b] = await Promise.all(
      [1, 2].map(() => createUserWithSession(api, { projectIds: [project.id] })),
    );
    const held = await nextItemId(a!, project.id);
    await http().post(`/items/${held}/release`).set('Cookie', a!.cookie).expect(204);
    expect(await nextItemId(b!, project.id)).toBe(held);

    // Released again after b gives it up, it comes back to a: releasing is not skipping.
    await http().post(`/items/${held}/release`).set('Cookie', b!.cookie).expect(204);
    expect(await nextItemId(a!, project.id)).toBe(held);
  });

  it('refuses to release a lease the caller does not hold, and leaves the holder’s lease alone', async () => {
    const project = await createProjectWithItems(api, { items: 2 });
    const [a, b] = await Promise.all(
      [1, 2].map(() => createUserWithSession(api, { projectIds: [project.id] })),
    );
    const held = await nextItemId(a!, project.id);
    const refused = await http().post(`/items/${held}/release`).set('Cookie', b!.cookie).expect(409);
    expect(refused.body).toMatchObject({
      message: `you hold no lease on item ${held}: it ran out, or the item was labelled, skipped or released`,
      reason: 'not-leased',
    });
    expect(await nextItemId(a!, project.id)).toBe(held);

    await label(a!, held);
    await http().post(`/items/${held}/release`).set('Cookie', a!.cookie).expect(409);
    const outsider = await createUserWithSession(api);
    await http().post(`/items/${held}/release`).set('Cookie', outsider.cookie).expect(404);
  });

  it('a done answer says what is left for the caller: items they skipped, items others hold', async () => {
    const project = await createProjectWithItems(api, { items: 3 });
    const [a, b] = await Promise.all(
      [1, 2].map(() => createUserWithSession(api, { projectIds: [project.id] })),
    );
    await nextItemId(b!, project.id); // b holds the first item
    const skipped = await nextItemId(a!, project.id);
    await http().post(`/items/${skipped}/skip`).set('Cookie', a!.cookie).expect(200);
    await label(a!, await nextItemId(a!, project.id));
    expect(await next(a!, project.id)).toMatchObject({ status: 'done', skipped: 1, heldByOthers: 1 });
  });

  it('POST /projects/:id/skips/clear offers the caller’s skipped items again, not other labellers’', async () => {
    const project = await createProjectWithItems(api, { items: 1 });
    const [a, b] = await Promise.all(
      [1, 2].map(() => createUserWithSession(api, { projectIds: [project.id] })),
    );
    const item = project.itemIds[0]!;
    for (const user of [a!, b!]) {
      expect(await nextItemId(user, project.id)).toBe(item);
      await http().post(`/items/${item}/skip`).set('Cookie', user.cookie).expect(200);
    }
    expect(await next(a!, project.id)).toMatchObject({ status: 'done', skipped: 1, heldByOthers: 0 });

    const cleared = await http()
      .post(`/projects/${project.id}/skips/clear`)
      .set('Cookie', a!.cookie)
      .expect(200);
    expect(clearSkipsResponseSchema.parse(cleared.body)).toMatchObject({
      cleared: 1,
      next: { status: 'item', item: { id: item } },
    });
    // b's skip stays: the item a now holds is still one b skipped.
    expect(await next(b!, project.id)).toMatchObject({ status: 'done', skipped: 1, heldByOthers: 0 });

    const outsider = await createUserWithSession(api);
    await http().post(`/projects/${project.id}/skips/clear`).set('Cookie', outsider.cookie).expect(404);
    await db.query(`UPDATE projects SET archived = true WHERE id = $1`, [project.id]);
    await http().post(`/projects/${project.id}/skips/clear`).set('Cookie', b!.cookie).expect(409);
    expect(await db.query(`SELECT count(*)::int AS n FROM skips WHERE labeller_id = $1`, [b!.id])).toEqual([
      { n: 1 },
    ]);
  });

  it('refuses to skip an item the caller was never served', async () => {
    const project = await createProjectWithItems(api, { items: 1 });
    const user = await createUserWithSession(api, { projectIds: [project.id] });
    const response = await http()
      .post(`/items/${project.itemIds[0]}/skip`)
      .set('Cookie', user.cookie)
      .expect(409);
    expect(response.body).toMatchObject({ message: expect.stringMatching(/never served to you/), reason: 'never-served' });
  });

  it('answers 404 for projects and items the caller may not see, 400 for malformed item ids', async () => {
    const project = await createProjectWithItems(api, { items: 1 });
    const outsider = await createUserWithSession(api);
    await http().post(`/projects/${project.id}/next`).set('Cookie', outsider.cookie).expect(404);
    await http().post(`/projects/not-a-uuid/next`).set('Cookie', outsider.cookie).expect(404);
    await http().post(`/items/${project.itemIds[0]}/skip`).set('Cookie', outsider.cookie).expect(404);
    await http().post(`/items/2147483000/skip`).set('Cookie', outsider.cookie).expect(404);
    const malformed = await http().post(`/items/1e3/skip`).set('Cookie', outsider.cookie).expect(400);
    expect(malformed.body.message).toBe('item id must be a whole number from 1 to 2147483647, got "1e3"');
    const tooLarge = await http().post(`/items/2147483648/skip`).set('Cookie', outsider.cookie).expect(400);
    expect(tooLarge.body.message).toBe('item id must be a whole number from 1 to 2147483647, got "2147483648"');
    await http().post(`/projects/${project.id}/next`).expect(401);
  });

  // AuthGuard looks the project of these two routes up with the session, in one statement.
  it('serves next and takes submits only in projects the caller may see, by session or by API token', async () => {
    const project = await createProjectWithItems(api, { items: 3 });
    const member = await createUserWithSession(api, { projectIds: [project.id] });
    const outsider = await createUserWithSession(api);
    const admin = await createUserWithSession(api, { role: 'admin' });
    type Credential = [header: string, value: string];
    const cookie = (user: TestUser): Credential => ['Cookie', user.cookie];
    const bearer = async (user: TestUser): Promise<Credential> => {
      const created = await http()
        .post('/api-tokens')
        .set('Cookie', admin.cookie)
        .send({ name: 'script', userId: user.id })
        .expect(201);
      return ['Authorization', `Bearer ${created.body.token}`];
    };
    const askNext = (credential: Credential) =>
      http().post(`/projects/${project.id}/next`).set(...credential);
    const label = (credential: Credential, itemId: number) =>
      http()
        .post(`/items/${itemId}/labels`)
        .set(...credential)
        .send({ value: 'cat', clientRequestId: `label-${itemId}` });

    for (const outsiders of [cookie(outsider), await bearer(outsider)]) {
      await askNext(outsiders).expect(404);
      const refused = await label(outsiders, project.itemIds[0]!).expect(404);
      expect(refused.body.message).toBe(`item ${project.itemIds[0]} not found`);
    }
    // the member by session, then by token, and an admin who is no member
    for (const allowed of [cookie(member), await bearer(member), cookie(admin)]) {
      const served = await askNext(allowed).expect(200);
      await label(allowed, served.body.item.id).expect(201);
    }
    await db.query(`UPDATE sessions SET revoked_at = now() WHERE user_id = $1`, [member.id]);
    await askNext(cookie(member)).expect(401);
    await label(cookie(member), project.itemIds[2]!).expect(401);

    const [{ labels }] = await db.query(`SELECT count(*)::int AS labels FROM labels WHERE item_id = ANY($1)`, [
      project.itemIds,
    ]);
    expect(labels).toBe(3);
  });
});

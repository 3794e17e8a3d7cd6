import request from 'supertest';
import { DataSource } from 'typeorm';
import { progressResponseSchema } from '@foreman/contracts';
import { createProjectWithItems, createUserWithSession, type TestUser } from './fixtures';
import { insertLabel } from './label-sql';
import { startTestApi, type TestApi } from './test-app';

describe('GET /projects/:id/progress', () => {
  let api: TestApi;
  let db: DataSource;
  let admin: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let projectId: string;

  beforeAll(async () => {
    api = await startTestApi();
    db = api.app.get(DataSource);
    admin = await createUserWithSession(api, { role: 'admin' });
    const project = await createProjectWithItems(api, {
      items: 6,
      labelsPerItem: 2,
      classes: ['cat', 'dog', 'bird'],
    });
    projectId = project.id;
    const members = { projectIds: [projectId] };
    alice = await createUserWithSession(api, { ...members, displayName: 'Alice' });
    bob = await createUserWithSession(api, { ...members, displayName: 'Bob' });
    carol = await createUserWithSession(api, { ...members, displayName: 'Carol' });
    const [item1, item2, item3, item4, item5] = project.itemIds as [number, number, number, number, number];

    const early = '2026-01-01T10:15:00Z';
    const late = '2026-01-01T12:40:00Z';
    const label = (itemId: number, who: TestUser, value: string, at: string, retracted = false) =>
      insertLabel(db, { projectId, itemId, labellerId: who.id, value: [value], at, retracted });
    await label(item1, alice, 'cat', early); // item 1: agreed on cat
    await label(item1, bob, 'cat', early);
    await label(item2, alice, 'cat', early); // item 2: a tie, no majority
    await label(item2, bob, 'dog', late);
    await label(item3, alice, 'dog', late); // item 3: cat wins 2 to 1
    await label(item3, bob, 'cat', late);
    await label(item3, carol, 'cat', late);
    await label(item4, alice, 'bird', late); // item 4: started
    await label(item5, bob, 'dog', late, true); // retracted: counts nowhere
    // Item 5 is leased right now (in progress); item 4's lease has run out (not counted as leased).
    await db.query(
      `INSERT INTO leases (project_id, item_id, labeller_id, expires_at)
       VALUES ($1, $2, $3, now() + interval '5 minutes'), ($1, $4, $5, now() - interval '1 minute')`,
      [projectId, item5, carol.id, item4, bob.id],
    );
  });

  afterAll(async () => {
    await api?.close();
  });

  it('adds up items, labellers, agreement, classes and the hourly timeline', async () => {
    const response = await request(api.app.getHttpServer())
      .get(`/projects/${projectId}/progress`)
      .set('Cookie', admin.cookie)
      .expect(200);
    const progress = progressResponseSchema.parse(response.body);
    expect(progress).toEqual({
      total: 6,
      fullyLabelled: 3,
      inProgress: 2,
      remaining: 1,
      leased: 1,
      skipped: 0,
      waitingOnSkips: 0,
      waitingOnMembers: 0,
      labellers: [
        { labellerId: alice.id, displayName: 'Alice', labels: 4, agreement: 1 / 3 },
        { labellerId: bob.id, displayName: 'Bob', labels: 3, agreement: 2 / 3 },
        { labellerId: carol.id, displayName: 'Carol', labels: 1, agreement: 1 },
      ],
      classDistribution: [
        { className: 'cat', count: 5 },
        { className: 'dog', count: 2 },
        { className: 'bird', count: 1 },
      ],
      agreement: expect.closeTo((1 + 0.5 + 2 / 3) / 3, 10),
      timeline: [
        { at: '2026-01-01T10:00:00.000Z', labels: 3 },
        { at: '2026-01-01T11:00:00.000Z', labels: 0 },
        { at: '2026-01-01T12:00:00.000Z', labels: 5 },
      ],
    });
  });

  it('shows members their project and hides it from others', async () => {
    await request(api.app.getHttpServer())
      .get(`/projects/${projectId}/progress`)
      .set('Cookie', bob.cookie)
      .expect(200);
    const outsider = await createUserWithSession(api);
    await request(api.app.getHttpServer())
      .get(`/projects/${projectId}/progress`)
      .set('Cookie', outsider.cookie)
      .expect(404);
  });

  it('answers an empty project with zeros and no agreement', async () => {
    const empty = await createProjectWithItems(api, { items: 0 });
    const response = await request(api.app.getHttpServer())
      .get(`/projects/${empty.id}/progress`)
      .set('Cookie', admin.cookie)
      .expect(200);
    expect(response.body).toMatchObject({ total: 0, labellers: [], agreement: null, timeline: [] });
    expect(response.body.classDistribution).toEqual([
      { className: 'cat', count: 0 },
      { className: 'dog', count: 0 },
      { className: 'bird', count: 0 },
    ]);
  });

  it('counts open items skipped, and those every active member who has not labelled them skipped', async () => {
    const project = await createProjectWithItems(api, { items: 2, labelsPerItem: 2 });
    const [item1, item2] = project.itemIds as [number, number];
    const members = { projectIds: [project.id] };
    const ada = await createUserWithSession(api, members);
    const ben = await createUserWithSession(api, members);
    // A deactivated member cannot label, so it does not keep an item from being stuck.
    const gone = await createUserWithSession(api, members);
    await db.query(`UPDATE users SET active = false WHERE id = $1`, [gone.id]);
    const http = () => request(api.app.getHttpServer());
    const post = async (path: string, who: TestUser, body: object = {}) => {
      const response = await http().post(path).set('Cookie', who.cookie).send(body);
      expect(response.status).toBeLessThan(300);
      return response.body as { status?: string; item?: { id: number } };
    };
    const skipCounts = async () => {
      const response = await http()
        .get(`/projects/${project.id}/progress`)
        .set('Cookie', admin.cookie)
        .expect(200);
      const { inProgress, leased, skipped, waitingOnSkips } = progressResponseSchema.parse(response.body);
      return { inProgress, leased, skipped, waitingOnSkips };
    };

    // Item 1: Ada labels it, Ben skips it; it needs a second label that nobody is left to give.
    expect((await post(`/projects/${project.id}/next`, ada)).item?.id).toBe(item1);
    await post(`/items/${item1}/labels`, ada, { value: 'cat', clientRequestId: 'ada-1' });
    expect((await post(`/projects/${project.id}/next`, ben)).item?.id).toBe(item1);
    await post(`/items/${item1}/skip`, ben);
    // Item 2: Ben skips it too, but Ada may still label it.
    expect((await post(`/projects/${project.id}/next`, ben)).item?.id).toBe(item2);
    await post(`/items/${item2}/skip`, ben);
    expect(await post(`/projects/${project.id}/next`, ben)).toMatchObject({ status: 'done' });
    expect(await skipCounts()).toEqual({ inProgress: 1, leased: 0, skipped: 2, waitingOnSkips: 1 });

    // Ben shows his skipped items again: item 1 is his to label, nothing waits on skips.
    await post(`/projects/${project.id}/skips/clear`, ben);
    expect(await skipCounts()).toEqual({ inProgress: 1, leased: 1, skipped: 0, waitingOnSkips: 0 });
  });

  it('counts open items every active member has labelled: they wait for a new member', async () => {
    const project = await createProjectWithItems(api, { items: 2, labelsPerItem: 3 });
    const [item1] = project.itemIds as [number, number];
    const ada = await createUserWithSession(api, { projectIds: [project.id] });
    const ben = await createUserWithSession(api, { projectIds: [project.id] });
    const waitingOnMembers = async () => {
      const response = await request(api.app.getHttpServer())
        .get(`/projects/${project.id}/progress`)
        .set('Cookie', admin.cookie)
        .expect(200);
      return progressResponseSchema.parse(response.body).waitingOnMembers;
    };
    await insertLabel(db, { projectId: project.id, itemId: item1, labellerId: ada.id, value: ['cat'] });
    expect(await waitingOnMembers()).toBe(0); // (Ben may still label it)
    await insertLabel(db, { projectId: project.id, itemId: item1, labellerId: ben.id, value: ['cat'] });
    expect(await waitingOnMembers()).toBe(1);

    // A third member can give the label it still needs.
    await createUserWithSession(api, { projectIds: [project.id] });
    expect(await waitingOnMembers()).toBe(0);
  });
});

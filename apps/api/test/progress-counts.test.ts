import request from 'supertest';
import { DataSource } from 'typeorm';
import { nextItemResponseSchema, submitLabelResponseSchema, type ProgressCounts } from '@foreman/contracts';
import { EXACT_BELOW_ITEMS } from '../src/modules/queue/progress-counts.service';
import { createProjectWithItems, createUserWithSession, type TestUser } from './fixtures';
import { startTestApi, type TestApi } from './test-app';

/** The counts next/submit answers carry in projects too large to count for every answer (docs/queue.md). */
describe('progress counts of a large project', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });

  afterAll(async () => {
    await api?.close();
  });

  const http = () => request(api.app.getHttpServer());

  async function next(user: TestUser, projectId: string) {
    const response = await http().post(`/projects/${projectId}/next`).set('Cookie', user.cookie).expect(200);
    return nextItemResponseSchema.parse(response.body);
  }

  async function label(user: TestUser, projectId: string): Promise<ProgressCounts> {
    const answer = await next(user, projectId);
    if (answer.status !== 'item') throw new Error('expected an item');
    const response = await http()
      .post(`/items/${answer.item.id}/labels`)
      .set('Cookie', user.cookie)
      .send({ value: 'cat', clientRequestId: `${user.id}-${answer.item.id}` })
      .expect(201);
    return submitLabelResponseSchema.parse(response.body).progress;
  }

  it('counts the project once, moves `mine` with each label at once, and answers done with recent counts', async () => {
    const items = EXACT_BELOW_ITEMS;
    const project = await createProjectWithItems(api, { items });
    const [ann, bob] = await Promise.all(
      [1, 2].map(() => createUserWithSession(api, { projectIds: [project.id] })),
    );

    const first = await next(ann!, project.id);
    expect(first.progress).toEqual({
      total: items,
      fullyLabelled: 0,
      inProgress: 1,
      remaining: items - 1,
      mine: 0,
    });
    expect((await label(ann!, project.id)).mine).toBe(1);
    expect((await label(ann!, project.id)).mine).toBe(2);
    expect((await label(bob!, project.id)).mine).toBe(1);
    const again = await next(ann!, project.id);
    expect(again.progress).toMatchObject({ total: items, mine: 2 });

    // Everything else labelled behind the API's back: a done answer does not report a stale snapshot.
    await api.app
      .get(DataSource)
      .query(`UPDATE items SET remaining_labels = 0, label_count = 1 WHERE project_id = $1`, [project.id]);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const done = await next(bob!, project.id);
    expect(done).toEqual({
      status: 'done',
      progress: { total: items, fullyLabelled: items, inProgress: 0, remaining: 0, mine: 1 },
      skipped: 0,
      heldByOthers: 0,
    });
  });

  it('counts smaller projects afresh for every answer', async () => {
    const project = await createProjectWithItems(api, { items: EXACT_BELOW_ITEMS - 1 });
    const user = await createUserWithSession(api, { projectIds: [project.id] });
    expect((await next(user, project.id)).progress.inProgress).toBe(1);
    await api.app
      .get(DataSource)
      .query(`UPDATE items SET remaining_labels = 0, label_count = 1 WHERE id = $1`, [
        project.itemIds.at(-1),
      ]);
    expect((await next(user, project.id)).progress).toMatchObject({ fullyLabelled: 1, inProgress: 1 });
  });
});

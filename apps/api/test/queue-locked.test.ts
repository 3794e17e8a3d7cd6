import { Client } from 'pg';
import request from 'supertest';
import { nextItemResponseSchema } from '@foreman/contracts';
import { createProjectWithItems, createUserWithSession } from './fixtures';
import { startTestApi, type TestApi } from './test-app';

describe('POST /projects/:id/next while another transaction holds the open items', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });

  afterAll(async () => {
    await api?.close();
  });

  it('waits for the locked item rows instead of answering "done"', async () => {
    const project = await createProjectWithItems(api, { items: 3 });
    const labeller = await createUserWithSession(api, { projectIds: [project.id] });
    // The scheduler repairs a project's labels-per-item counts in one transaction that holds every open
    // item row until it commits.
    const scheduler = new Client({ connectionString: api.db.url });
    await scheduler.connect();
    try {
      await scheduler.query('BEGIN');
      await scheduler.query('UPDATE items SET remaining_labels = remaining_labels WHERE project_id = $1', [
        project.id,
      ]);
      const asked = request(api.app.getHttpServer())
        .post(`/projects/${project.id}/next`)
        .set('Cookie', labeller.cookie)
        .then((response) => response);
      await new Promise((resolve) => setTimeout(resolve, 400));
      await scheduler.query('COMMIT');
      const response = await asked;
      expect(response.status).toBe(200);
      expect(nextItemResponseSchema.parse(response.body).status).toBe('item');
    } finally {
      await scheduler.end();
    }
  });
});

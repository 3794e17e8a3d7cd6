import request from 'supertest';
import { DataSource } from 'typeorm';
import { modelVersionSchema } from '@foreman/contracts';
import { createProject, createUserWithSession } from './fixtures';
import { startTestApi, type TestApi } from './test-app';

describe('GET /projects/:id/models', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });

  afterAll(async () => {
    await api?.close();
  });

  it('lists the trainer’s model versions newest first, for the learning curve', async () => {
    const db = api.app.get(DataSource);
    const { id: projectId } = await createProject(api);
    const { id: otherId } = await createProject(api);
    const metrics = (accuracy: number) => ({
      accuracy,
      evaluation: 'holdout',
      evaluatedOn: 20,
      perClass: [],
    });
    await db.query(
      `INSERT INTO model_versions (project_id, version, trained_at, label_count, metrics, training_ms, backend, artifacts)
       VALUES ($1, 1, '2026-01-01T10:00:00Z', 10, $2, 120.5, 'wasm', '{"weights":"…"}'),
              ($1, 2, '2026-01-01T10:05:00Z', 20, $3, 150, 'wasm', NULL),
              ($4, 1, '2026-01-01T10:00:00Z', 10, $2, 100, 'cpu', NULL)`,
      [projectId, metrics(0.5), metrics(0.75), otherId],
    );
    const labeller = await createUserWithSession(api, { projectIds: [projectId] });
    const response = await request(api.app.getHttpServer())
      .get(`/projects/${projectId}/models`)
      .set('Cookie', labeller.cookie)
      .expect(200);
    expect(response.body.map((version: unknown) => modelVersionSchema.parse(version))).toEqual([
      {
        version: 2,
        projectId,
        trainedAt: '2026-01-01T10:05:00.000Z',
        labelCount: 20,
        metrics: metrics(0.75),
        trainingMs: 150,
        backend: 'wasm',
      },
      {
        version: 1,
        projectId,
        trainedAt: '2026-01-01T10:00:00.000Z',
        labelCount: 10,
        metrics: metrics(0.5),
        trainingMs: 120.5,
        backend: 'wasm',
      },
    ]);
    expect(response.body[0]).not.toHaveProperty('artifacts');

    const outsider = await createUserWithSession(api);
    await request(api.app.getHttpServer())
      .get(`/projects/${projectId}/models`)
      .set('Cookie', outsider.cookie)
      .expect(404);
  });
});

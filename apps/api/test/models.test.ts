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

  it('answers null for a class’s precision or recall that is 0/0, as the trainer stored it', async () => {
    const db = api.app.get(DataSource);
    const { id: projectId } = await createProject(api);
    const metrics = {
      accuracy: 0.5,
      evaluation: 'holdout',
      evaluatedOn: 2,
      perClass: [
        { className: 'a', precision: 0.5, recall: 1, support: 1 },
        { className: 'b', precision: null, recall: 0, support: 1 },
        { className: 'c', precision: null, recall: null, support: 0 },
      ],
    };
    await db.query(
      `INSERT INTO model_versions (project_id, version, label_count, metrics, training_ms, backend)
       VALUES ($1, 1, 10, $2, 100, 'wasm')`,
      [projectId, metrics],
    );
    const admin = await createUserWithSession(api, { role: 'admin' });
    const response = await request(api.app.getHttpServer())
      .get(`/projects/${projectId}/models`)
      .set('Cookie', admin.cookie)
      .expect(200);
    expect(modelVersionSchema.parse(response.body[0]).metrics).toEqual(metrics);
  });

  it('answers at most `points` versions: the newest quarter in a row, the older ones thinned, the first kept', async () => {
    const db = api.app.get(DataSource);
    const { id: projectId } = await createProject(api);
    // 1,000 trainings, one per 10 labels, accuracy rising with them
    await db.query(
      `INSERT INTO model_versions (project_id, version, label_count, metrics, training_ms, backend)
       SELECT $1, v, v * 10, jsonb_build_object('accuracy', v / 1000.0, 'evaluation', 'holdout',
              'evaluatedOn', 20, 'perClass', '[]'::jsonb), 100, 'wasm'
         FROM generate_series(1, 1000) v`,
      [projectId],
    );
    const admin = await createUserWithSession(api, { role: 'admin' });
    const versions = async (query: string) => {
      const response = await request(api.app.getHttpServer())
        .get(`/projects/${projectId}/models${query}`)
        .set('Cookie', admin.cookie)
        .expect(200);
      return (response.body as { version: number }[]).map((model) => model.version);
    };

    for (const [query, points] of [
      ['', 200],
      ['?points=10', 10],
      ['?points=2', 2],
      ['?points=999', 999],
    ] as const) {
      const listed = await versions(query);
      const recent = Math.floor(points / 4);
      expect(listed).toHaveLength(points);
      expect(listed).toEqual([...listed].sort((a, b) => b - a));
      expect(listed.slice(0, recent)).toEqual(Array.from({ length: recent }, (_, age) => 1000 - age));
      expect(listed.at(-1)).toBe(1);
    }
    // the older part is spread evenly: its gaps differ by one version at most
    const older = (await versions('')).slice(50);
    const gaps = older.slice(1).map((version, index) => older[index]! - version);
    expect(Math.max(...gaps) - Math.min(...gaps)).toBeLessThanOrEqual(1);

    expect(await versions('?points=1000')).toHaveLength(1000);
    for (const bad of ['1', '1001', 'ten', '2.5']) {
      const response = await request(api.app.getHttpServer())
        .get(`/projects/${projectId}/models?points=${bad}`)
        .set('Cookie', admin.cookie)
        .expect(400);
      expect(response.body.message).toMatch(/points/);
    }
  });
});

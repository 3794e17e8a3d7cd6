import request from 'supertest';
import { DataSource } from 'typeorm';
import { createAdmin } from './accounts-fixtures';
import { createUserWithSession, type TestUser } from './fixtures';
import { startTestApi, type TestApi } from './test-app';

const digits = {
  name: 'Digits',
  classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  inputKind: 'vector',
  shape: [8, 8],
};

describe('projects', () => {
  let api: TestApi;
  let db: DataSource;
  let admin: TestUser;
  const http = () => request(api.app.getHttpServer());

  const createProject = async (body: object = digits) =>
    (await http().post('/projects').set('Cookie', admin.cookie).send(body).expect(201)).body;
  const projectCount = async () =>
    (await db.query(`SELECT count(*)::int AS count FROM projects`))[0].count as number;
  const storedRow = async (id: string) => (await db.query(`SELECT * FROM projects WHERE id = $1`, [id]))[0];

  beforeAll(async () => {
    api = await startTestApi();
    db = api.app.get(DataSource);
    admin = await createAdmin(api);
  });

  afterAll(async () => {
    await api?.close();
  });

  it('creates a project with the documented defaults', async () => {
    const project = await createProject();
    expect(project).toEqual({
      id: expect.any(String),
      name: 'Digits',
      description: '',
      classes: digits.classes,
      multiLabel: false,
      inputKind: 'vector',
      shape: [8, 8],
      labelsPerItem: 1,
      leaseSeconds: 600,
      strategy: 'entropy',
      shuffleProportion: 0.1,
      retrainEveryLabels: 10,
      retrainAfterSeconds: 30,
      archived: false,
      createdAt: expect.any(String),
    });
    await http().get(`/projects/${project.id}`).set('Cookie', admin.cookie).expect(200, project);
    const list = await http().get('/projects').set('Cookie', admin.cookie).expect(200);
    expect(list.body).toContainEqual(project);
  });

  it.each([
    ['one class', { ...digits, classes: ['only'] }, 'classes', 'a project needs at least 2 classes'],
    [
      'duplicate classes',
      { ...digits, classes: ['cat', 'dog', 'cat'] },
      'classes',
      'class names must be unique',
    ],
    [
      'an empty class name',
      { ...digits, classes: ['cat', ' '] },
      'classes.1',
      'a class name must not be empty',
    ],
    ['a vector without a shape', { ...digits, shape: null }, 'shape', 'vector projects need a display shape'],
    ['a zero in the shape', { ...digits, shape: [8, 0] }, 'shape.1', ''],
    ['an unknown input kind', { ...digits, inputKind: 'audio' }, 'inputKind', ''],
    ['no labels per item', { ...digits, labelsPerItem: 0 }, 'labelsPerItem', ''],
    ['a short lease', { ...digits, leaseSeconds: 1 }, 'leaseSeconds', ''],
    ['an unknown strategy', { ...digits, strategy: 'vibes' }, 'strategy', ''],
    ['a shuffle above 1', { ...digits, shuffleProportion: 1.5 }, 'shuffleProportion', ''],
    ['a blank name', { ...digits, name: '  ' }, 'name', 'name must not be empty'],
    ['an unknown field', { ...digits, colour: 'red' }, '(root)', 'Unrecognized key: "colour"'],
  ])('answers 400 naming the field for %s, and writes nothing', async (_case, body, field, message) => {
    const before = await projectCount();
    const response = await http().post('/projects').set('Cookie', admin.cookie).send(body).expect(400);
    expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(response.body.message).toContain(`${field}: ${message}`);
    expect(response.body.details).toContainEqual({ field, message: expect.stringContaining(message) });
    expect(await projectCount()).toBe(before);
  });

  it('PATCH merges the changes into the stored project and validates the whole result', async () => {
    const project = await createProject({ name: 'Reviews', classes: ['good', 'bad'], inputKind: 'text' });
    const patched = await http()
      .patch(`/projects/${project.id}`)
      .set('Cookie', admin.cookie)
      .send({ leaseSeconds: 120, strategy: 'margin', classes: ['good', 'bad', 'mixed'] })
      .expect(200);
    expect(patched.body).toEqual({
      ...project,
      leaseSeconds: 120,
      strategy: 'margin',
      classes: ['good', 'bad', 'mixed'],
    });

    // Valid on its own, invalid for this project: a vector project needs a shape. Nothing is written.
    const before = await storedRow(project.id);
    const invalid = await http()
      .patch(`/projects/${project.id}`)
      .set('Cookie', admin.cookie)
      .send({ name: 'Renamed', inputKind: 'vector' })
      .expect(400);
    expect(invalid.body.details).toEqual([
      { field: 'shape', message: 'vector projects need a display shape such as [8, 8]' },
    ]);
    expect(await storedRow(project.id)).toEqual(before);

    const tooFew = await http()
      .patch(`/projects/${project.id}`)
      .set('Cookie', admin.cookie)
      .send({ name: 'Renamed', classes: ['good'] })
      .expect(400);
    expect(tooFew.body.message).toBe('classes: a project needs at least 2 classes');
    expect(await storedRow(project.id)).toEqual(before);
  });

  it('tells the trainer, with the change, when a setting the model depends on changes', async () => {
    const project = await createProject({ name: 'Topics', classes: ['a', 'b'], inputKind: 'text' });
    const events = async () =>
      (await db.query(
        `SELECT envelope FROM outbox WHERE envelope->>'projectId' = $1 AND event_type = 'project.model-settings-changed.v1'`,
        [project.id],
      )) as { envelope: { payload: { changed: string[] } } }[];
    const patch = (body: object) =>
      http().patch(`/projects/${project.id}`).set('Cookie', admin.cookie).send(body).expect(200);

    // Unchanged values and settings the model does not read (name, lease time) write no event.
    await patch({ name: 'Topics 2', leaseSeconds: 60, strategy: 'entropy', classes: ['a', 'b'] });
    expect(await events()).toEqual([]);
    await patch({ strategy: 'margin', classes: ['a', 'b', 'c'], shuffleProportion: 0.2, name: 'Topics 3' });
    expect((await events()).map((row) => row.envelope.payload.changed)).toEqual([
      ['classes', 'strategy', 'shuffleProportion'],
    ]);
  });

  it('applies a new labels-per-item quota to the items, and refuses changes that contradict the data', async () => {
    const project = await createProject();
    const labeller = await createUserWithSession(api, { projectIds: [project.id] });
    const items: { id: number }[] = await db.query(
      `INSERT INTO items (project_id, external_id, payload, remaining_labels)
       SELECT $1, 'item-' || n, '[]', 1 FROM generate_series(1, 3) n RETURNING id`,
      [project.id],
    );
    await db.query(
      `INSERT INTO labels (project_id, item_id, labeller_id, value, client_request_id) VALUES ($1, $2, $3, '{7}', 'r1')`,
      [project.id, items[0]!.id, labeller.id],
    );
    await db.query(`UPDATE items SET label_count = 1, remaining_labels = 0 WHERE id = $1`, [items[0]!.id]);

    await http()
      .patch(`/projects/${project.id}`)
      .set('Cookie', admin.cookie)
      .send({ labelsPerItem: 3 })
      .expect(200);
    const remaining = await db.query(
      `SELECT remaining_labels AS r FROM items WHERE project_id = $1 ORDER BY id`,
      [project.id],
    );
    expect(remaining.map((row: { r: number }) => row.r)).toEqual([2, 3, 3]);

    // Reshaping keeps the 64 values per item: fine. Changing their number, the kind or a used class: 409.
    await http()
      .patch(`/projects/${project.id}`)
      .set('Cookie', admin.cookie)
      .send({ shape: [4, 16] })
      .expect(200);
    const before = await storedRow(project.id);
    const conflicts = await http()
      .patch(`/projects/${project.id}`)
      .set('Cookie', admin.cookie)
      .send({ shape: [8, 9], classes: ['0', '1', '2', '3', '4', '5', '6', '8', '9', 'x'] })
      .expect(409);
    expect(conflicts.body.details).toEqual([
      { field: 'shape', message: "the project's items have 64 values each; the shape must keep that size" },
      { field: 'classes', message: 'classes used by labels cannot be removed: 7' },
    ]);
    const kind = await http()
      .patch(`/projects/${project.id}`)
      .set('Cookie', admin.cookie)
      .send({ inputKind: 'text' })
      .expect(409);
    expect(kind.body.message).toBe('inputKind: cannot change once the project has items');
    expect(await storedRow(project.id)).toEqual(before);
  });

  it('deletes an archived project for good, with its items and labels; refuses one not archived', async () => {
    const project = await createProject({ ...digits, name: 'Scratch' });
    const labeller = await createUserWithSession(api, { projectIds: [project.id] });
    const [item] = (await db.query(
      `INSERT INTO items (project_id, external_id, payload, remaining_labels) VALUES ($1, 'a', '[]', 1) RETURNING id`,
      [project.id],
    )) as { id: number }[];
    await db.query(
      `INSERT INTO labels (project_id, item_id, labeller_id, value, client_request_id) VALUES ($1, $2, $3, '{7}', 'd1')`,
      [project.id, item!.id, labeller.id],
    );
    const rowsOf = async () =>
      (
        await db.query(
          `SELECT (SELECT count(*) FROM items WHERE project_id = $1)::int AS items,
                  (SELECT count(*) FROM labels WHERE project_id = $1)::int AS labels`,
          [project.id],
        )
      )[0];

    const refused = await http().delete(`/projects/${project.id}`).set('Cookie', admin.cookie).expect(409);
    expect(refused.body.message).toBe(
      'project "Scratch" is not archived: archive it first (deleting it cannot be undone)',
    );
    expect(await rowsOf()).toEqual({ items: 1, labels: 1 });

    await http()
      .patch(`/projects/${project.id}`)
      .set('Cookie', admin.cookie)
      .send({ archived: true })
      .expect(200);
    await http().delete(`/projects/${project.id}`).set('Cookie', admin.cookie).expect(204);
    expect(await rowsOf()).toEqual({ items: 0, labels: 0 });
    await http().get(`/projects/${project.id}`).set('Cookie', admin.cookie).expect(404);
    await http().delete(`/projects/${project.id}`).set('Cookie', admin.cookie).expect(404);
  });

  it('answers 404 for an unknown project id, well-formed or not', async () => {
    await http()
      .get('/projects/00000000-0000-4000-8000-000000000000')
      .set('Cookie', admin.cookie)
      .expect(404);
    await http().get('/projects/not-a-uuid').set('Cookie', admin.cookie).expect(404);
    await http()
      .patch('/projects/00000000-0000-4000-8000-000000000000')
      .set('Cookie', admin.cookie)
      .send({ name: 'x' })
      .expect(404);
  });

  describe('labellers', () => {
    it('see only their projects, and get 404 (not 403) for others, exactly as for missing ones', async () => {
      const theirs = await createProject({ ...digits, name: 'Theirs' });
      const other = await createProject({ ...digits, name: 'Other' });
      const labeller = await createUserWithSession(api, { projectIds: [theirs.id] });

      const list = await http().get('/projects').set('Cookie', labeller.cookie).expect(200);
      expect(list.body).toEqual([theirs]);
      await http().get(`/projects/${theirs.id}`).set('Cookie', labeller.cookie).expect(200, theirs);

      const hidden = await http().get(`/projects/${other.id}`).set('Cookie', labeller.cookie).expect(404);
      const missingId = '00000000-0000-4000-8000-000000000000';
      const missing = await http().get(`/projects/${missingId}`).set('Cookie', labeller.cookie).expect(404);
      expect(hidden.body).toEqual({ ...missing.body, message: `project ${other.id} not found` });
    });

    it('get 403 on project administration, and change nothing', async () => {
      const project = await createProject({ ...digits, name: 'Guarded' });
      const labeller = await createUserWithSession(api, { projectIds: [project.id] });
      const before = await projectCount();
      const calls = [
        http().post('/projects').send(digits),
        http().patch(`/projects/${project.id}`).send({ name: 'Mine now' }),
        http().get(`/projects/${project.id}/members`),
        http().put(`/projects/${project.id}/members/${labeller.id}`),
        http().delete(`/projects/${project.id}/members/${labeller.id}`),
        http().delete(`/projects/${project.id}`),
      ];
      for (const call of calls) {
        const response = await call.set('Cookie', labeller.cookie);
        expect(response.status).toBe(403);
        expect(response.body.message).toBe('this needs the admin role');
      }
      expect(await projectCount()).toBe(before);
      expect((await storedRow(project.id)).name).toBe('Guarded');
    });

    it('leave the list when a project is archived, and need a session at all', async () => {
      const project = await createProject({ ...digits, name: 'Old' });
      const labeller = await createUserWithSession(api, { projectIds: [project.id] });
      await http()
        .patch(`/projects/${project.id}`)
        .set('Cookie', admin.cookie)
        .send({ archived: true })
        .expect(200);
      expect((await http().get('/projects').set('Cookie', labeller.cookie).expect(200)).body).toEqual([]);
      await http().get('/projects').expect(401);
    });
  });

  describe('members', () => {
    it('adds, lists and removes members; removal releases their leases and hides the project', async () => {
      const project = await createProject({ ...digits, name: 'Team' });
      const labeller = await createUserWithSession(api, { displayName: 'Lin' });
      const members = () =>
        http().get(`/projects/${project.id}/members`).set('Cookie', admin.cookie).expect(200);

      expect((await members()).body).toEqual([]);
      await http().get(`/projects/${project.id}`).set('Cookie', labeller.cookie).expect(404);

      await http()
        .put(`/projects/${project.id}/members/${labeller.id}`)
        .set('Cookie', admin.cookie)
        .expect(204);
      await http()
        .put(`/projects/${project.id}/members/${labeller.id}`)
        .set('Cookie', admin.cookie)
        .expect(204);
      expect((await members()).body).toEqual([
        expect.objectContaining({
          id: labeller.id,
          email: labeller.email,
          displayName: 'Lin',
          role: 'labeller',
        }),
      ]);
      await http().get(`/projects/${project.id}`).set('Cookie', labeller.cookie).expect(200);

      const [item] = await db.query(
        `INSERT INTO items (project_id, external_id, payload, remaining_labels) VALUES ($1, 'a', '[]', 1) RETURNING id`,
        [project.id],
      );
      await db.query(
        `INSERT INTO leases (project_id, item_id, labeller_id, expires_at) VALUES ($1, $2, $3, now() + interval '5 minutes')`,
        [project.id, item.id, labeller.id],
      );

      await http()
        .delete(`/projects/${project.id}/members/${labeller.id}`)
        .set('Cookie', admin.cookie)
        .expect(204);
      expect((await members()).body).toEqual([]);
      await http().get(`/projects/${project.id}`).set('Cookie', labeller.cookie).expect(404);
      expect(await db.query(`SELECT 1 FROM leases WHERE item_id = $1`, [item.id])).toHaveLength(0);
    });

    it('answers 404 for an unknown user or project', async () => {
      const project = await createProject({ ...digits, name: 'Lonely' });
      const nobody = '00000000-0000-4000-8000-000000000000';
      const user = await http()
        .put(`/projects/${project.id}/members/${nobody}`)
        .set('Cookie', admin.cookie)
        .expect(404);
      expect(user.body.message).toBe(`user ${nobody} not found`);
      await http().put(`/projects/${nobody}/members/${admin.id}`).set('Cookie', admin.cookie).expect(404);
      await http().get(`/projects/${nobody}/members`).set('Cookie', admin.cookie).expect(404);
    });
  });
});

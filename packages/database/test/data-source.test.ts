import { createDataSource } from '../src';
import { createEmptyDatabase, type TestDatabase } from '../src/testing';

describe('the services’ connections', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createEmptyDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('name the service and run without JIT, whatever the server’s default', async () => {
    const dataSource = await createDataSource({ url: db.url, applicationName: 'foreman-test' }).initialize();
    try {
      const [settings] = (await dataSource.query(
        `SELECT current_setting('jit') AS jit, current_setting('application_name') AS name`,
      )) as { jit: string; name: string }[];
      expect(settings).toEqual({ jit: 'off', name: 'foreman-test' });
    } finally {
      await dataSource.destroy();
    }
  });
});

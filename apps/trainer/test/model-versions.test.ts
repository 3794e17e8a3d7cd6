import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@foreman/database/testing';
import { ModelVersionRepository, WEIGHTS_KEPT } from '../src/retraining/model-version.repository';
import type { ModelArtifacts } from '../src/training/artifacts';
import { seedDigitsProject } from './support/digits-project';

describe('stored model versions', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await new DataSource({ type: 'postgres', url: db.url }).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it(`keep the saved weights of the newest ${WEIGHTS_KEPT} versions only, and every version's metrics`, async () => {
    const versions = new ModelVersionRepository(dataSource);
    const seed = () => seedDigitsProject(db.url, { itemCount: 10, labelled: 0 });
    const [project, other] = [await seed(), await seed()];
    const artifacts = { format: 'foreman-tfjs-layers-1', weightData: 'AAAA' } as unknown as ModelArtifacts;
    const store = (projectId: string, labelCount: number) =>
      dataSource.transaction((tx) =>
        versions.insert(tx, {
          projectId,
          labelCount,
          metrics: { accuracy: labelCount / 100, evaluation: 'holdout', evaluatedOn: 10, perClass: [] },
          trainingMs: 5,
          backend: 'wasm',
          artifacts,
        }),
      );
    await store(other.projectId, 10);
    for (let labels = 10; labels <= 60; labels += 10) await store(project.projectId, labels);

    const saved = (projectId: string) =>
      dataSource.query(
        `SELECT version, label_count AS "labelCount", artifacts IS NOT NULL AS weights
           FROM model_versions WHERE project_id = $1 ORDER BY version`,
        [projectId],
      );
    expect(await saved(project.projectId)).toEqual(
      Array.from({ length: 6 }, (_, index) => ({
        version: index + 1,
        labelCount: (index + 1) * 10,
        weights: index + 1 > 6 - WEIGHTS_KEPT,
      })),
    );
    // another project's versions are its own
    expect(await saved(other.projectId)).toEqual([{ version: 1, labelCount: 10, weights: true }]);
    expect(await versions.find(project.projectId, 6)).toMatchObject({ version: 6, artifacts });
    expect(await versions.find(project.projectId, 1)).toBeNull();
  });
});

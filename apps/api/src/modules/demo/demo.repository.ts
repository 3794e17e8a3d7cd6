import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PROJECT_DEFAULTS } from '@foreman/contracts';
import type { ProjectEntity } from '@foreman/database';

export const DEMO_PROJECT_NAME = 'Digits (demo)';

type SeededProject = Pick<ProjectEntity, 'id' | 'inputKind' | 'shape' | 'labelsPerItem' | 'archived'>;

/** Arbitrary constant: the advisory lock that lets one API instance at a time check and seed. */
const DEMO_SEED_LOCK_KEY = 7_201_944_002;

@Injectable()
export class DemoRepository {
  /** Holds the seeding lock until the caller's transaction ends. */
  async lockSeeding(tx: EntityManager): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [DEMO_SEED_LOCK_KEY]);
  }

  async demoProjectExists(tx: EntityManager): Promise<boolean> {
    const rows: unknown[] = await tx.query(`SELECT 1 FROM projects WHERE name = $1 LIMIT 1`, [
      DEMO_PROJECT_NAME,
    ]);
    return rows.length > 0;
  }

  /** The 8x8 digits project, classes "0".."9", otherwise the defaults every new project gets. */
  async createDemoProject(tx: EntityManager): Promise<SeededProject> {
    const d = PROJECT_DEFAULTS;
    const [project] = (await tx.query(
      `INSERT INTO projects (name, description, classes, multi_label, input_kind, shape, labels_per_item,
                             lease_seconds, strategy, shuffle_proportion, retrain_every_labels,
                             retrain_after_seconds)
       VALUES ($1, $2, $3, $4, 'vector', '{8,8}', $5, $6, $7, $8, $9, $10)
       RETURNING id, input_kind AS "inputKind", shape, labels_per_item AS "labelsPerItem", archived`,
      [
        DEMO_PROJECT_NAME,
        'Handwritten digits, 8x8 pixels (UCI optical digits test set): label each image with its digit.',
        ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
        d.multiLabel,
        d.labelsPerItem,
        d.leaseSeconds,
        d.strategy,
        d.shuffleProportion,
        d.retrainEveryLabels,
        d.retrainAfterSeconds,
      ],
    )) as SeededProject[];
    return project!;
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { ModelMetrics } from '@foreman/contracts';
import type { ModelArtifacts } from '../training/artifacts';

export interface NewModelVersion {
  projectId: string;
  labelCount: number;
  metrics: ModelMetrics;
  trainingMs: number;
  backend: string;
  artifacts: ModelArtifacts;
}

export interface StoredModelVersion {
  projectId: string;
  version: number;
  trainedAt: Date;
  labelCount: number;
  metrics: ModelMetrics;
  trainingMs: number;
  backend: string;
}

@Injectable()
export class ModelVersionRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Stores a model as the project's next version (called under the project's training lock), and drops
   * the saved weights of the versions WEIGHTS_KEPT or more before it: only the latest is ever loaded again
   * (to publish it once more), and a project retrained every few labels would otherwise pile up thousands.
   * Their metrics stay, for the learning curve.
   */
  async insert(tx: EntityManager, model: NewModelVersion): Promise<StoredModelVersion> {
    const rows: StoredModelVersion[] = await tx.query(
      `INSERT INTO model_versions (project_id, version, label_count, metrics, training_ms, backend, artifacts)
       SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $4, $5, $6 FROM model_versions WHERE project_id = $1
       RETURNING ${COLUMNS}`,
      [
        model.projectId,
        model.labelCount,
        JSON.stringify(model.metrics),
        model.trainingMs,
        model.backend,
        JSON.stringify(model.artifacts),
      ],
    );
    const stored = rows[0]!;
    await tx.query(
      `UPDATE model_versions SET artifacts = NULL
        WHERE project_id = $1 AND version <= $2 AND artifacts IS NOT NULL`,
      [model.projectId, stored.version - WEIGHTS_KEPT],
    );
    return stored;
  }

  /** The version with its saved weights; null when it has none (WEIGHTS_KEPT). */
  async find(
    projectId: string,
    version: number,
  ): Promise<(StoredModelVersion & { artifacts: ModelArtifacts }) | null> {
    const rows: (StoredModelVersion & { artifacts: ModelArtifacts })[] = await this.db.query(
      `SELECT ${COLUMNS}, artifacts FROM model_versions
        WHERE project_id = $1 AND version = $2 AND artifacts IS NOT NULL`,
      [projectId, version],
    );
    return rows[0] ?? null;
  }
}

/** How many of a project's newest versions keep their saved weights. */
export const WEIGHTS_KEPT = 3;

const COLUMNS = `project_id AS "projectId", version, trained_at AS "trainedAt", label_count AS "labelCount",
  metrics, training_ms AS "trainingMs", backend`;

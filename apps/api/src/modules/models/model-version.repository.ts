import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ModelMetrics, ModelVersion } from '@foreman/contracts';

@Injectable()
export class ModelVersionRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The project's latest version number; 0 before its first training. */
  async newestVersion(projectId: string): Promise<number> {
    const [row] = (await this.db.query(
      `SELECT coalesce(max(version), 0) AS newest FROM model_versions WHERE project_id = $1`,
      [projectId],
    )) as { newest: number }[];
    return row!.newest;
  }

  /** These versions of the project, newest first, without their saved weights. */
  async list(projectId: string, versions: readonly number[]): Promise<ModelVersion[]> {
    const rows: {
      version: number;
      projectId: string;
      trainedAt: Date;
      labelCount: number;
      metrics: ModelMetrics;
      trainingMs: number;
      backend: string;
    }[] = await this.db.query(
      `SELECT version, project_id AS "projectId", trained_at AS "trainedAt", label_count AS "labelCount",
              metrics, training_ms AS "trainingMs", backend
         FROM model_versions
        WHERE project_id = $1 AND version = ANY ($2::int[])
        ORDER BY version DESC`,
      [projectId, versions],
    );
    return rows.map((row) => ({ ...row, trainedAt: row.trainedAt.toISOString() }));
  }
}

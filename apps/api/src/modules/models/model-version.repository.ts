import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ModelMetrics, ModelVersion } from '@foreman/contracts';

@Injectable()
export class ModelVersionRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The project's trained model versions, newest first, without their saved weights. */
  async listForProject(projectId: string): Promise<ModelVersion[]> {
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
        WHERE project_id = $1
        ORDER BY version DESC`,
      [projectId],
    );
    return rows.map((row) => ({ ...row, trainedAt: row.trainedAt.toISOString() }));
  }
}

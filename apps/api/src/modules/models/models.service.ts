import { Injectable } from '@nestjs/common';
import type { ModelVersion } from '@foreman/contracts';
import { ModelVersionRepository } from './model-version.repository';

/** The trainer's model versions as the dashboard reads them. */
@Injectable()
export class ModelsService {
  constructor(private readonly versions: ModelVersionRepository) {}

  /** GET /projects/:id/models: at most `points` versions, newest first (versionsToList says which). */
  async listForProject(projectId: string, points: number): Promise<ModelVersion[]> {
    const newest = await this.versions.newestVersion(projectId);
    return this.versions.list(projectId, versionsToList(newest, points));
  }
}

/**
 * Which of versions 1 … newest (the trainer numbers a project's versions without gaps) to list, newest
 * first: all of them when there are at most `points`; else exactly `points`: the newest quarter in a row
 * (the latest trainings, each of them) and the rest spread evenly over the older ones down to version 1, so
 * the learning curve spans the project's whole history whatever its length.
 */
export function versionsToList(newest: number, points: number): number[] {
  if (newest <= points) return Array.from({ length: newest }, (_, age) => newest - age);
  const recent = Math.floor(points / 4);
  const older = newest - recent; // versions older … 1
  const spread = points - recent; // of them, at older and 1 and evenly between (older > spread: no repeats)
  return [
    ...Array.from({ length: recent }, (_, age) => newest - age),
    ...Array.from({ length: spread }, (_, step) => older - Math.round((step * (older - 1)) / (spread - 1))),
  ];
}

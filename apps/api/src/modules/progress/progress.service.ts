import { Injectable } from '@nestjs/common';
import type { ProgressResponse } from '@foreman/contracts';
import type { ProjectEntity } from '@foreman/database';
import { ProgressRepository } from './progress.repository';

/** Hours in the progress timeline at most: 90 days. */
const TIMELINE_HOURS = 90 * 24;

@Injectable()
export class ProgressService {
  constructor(private readonly progress: ProgressRepository) {}

  async forProject(project: ProjectEntity): Promise<ProgressResponse> {
    const [counts, { labellers, agreement }, classDistribution, timeline] = await Promise.all([
      this.progress.itemCounts(project.id),
      this.progress.labellersAndAgreement(project.id),
      this.progress.classDistribution(project.id, project.classes),
      this.progress.timeline(project.id, TIMELINE_HOURS),
    ]);
    return { ...counts, labellers, classDistribution, agreement, timeline };
  }
}

import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ProjectEntity } from '@foreman/database';
import type { AuthenticatedUser } from '../auth/authenticated-user';

/**
 * Who may see a project: admins see every project, labellers only those they are members of. A project
 * the caller may not see answers 404, exactly as one that does not exist, so ids cannot be probed.
 */
@Injectable()
export class ProjectAccessService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async getForUser(user: AuthenticatedUser, projectId: string): Promise<ProjectEntity> {
    const query = this.visibleTo(user, 'project.id = :projectId', { projectId });
    const project = UUID.test(projectId) ? await query.getOne() : null;
    if (!project) throw new NotFoundException(`project ${projectId} not found`);
    return project;
  }

  /**
   * The project of item `itemId` if the caller may see it, else null (unknown item or not theirs alike):
   * one query, where looking up the item's project and then the project took two.
   */
  async getForItem(user: AuthenticatedUser, itemId: number): Promise<ProjectEntity | null> {
    return this.visibleTo(user, 'project.id = (SELECT i.project_id FROM items i WHERE i.id = :itemId)', {
      itemId,
    }).getOne();
  }

  /** Projects matching `condition` that the caller may see. */
  private visibleTo(user: AuthenticatedUser, condition: string, parameters: Record<string, unknown>) {
    const query = this.db
      .getRepository(ProjectEntity)
      .createQueryBuilder('project')
      .where(condition, parameters);
    if (user.role !== 'admin') {
      query.andWhere(
        'EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = project.id AND m.user_id = :userId)',
        { userId: user.id },
      );
    }
    return query;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

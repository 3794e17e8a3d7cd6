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
    const query = this.db
      .getRepository(ProjectEntity)
      .createQueryBuilder('project')
      .where('project.id = :projectId', { projectId });
    if (user.role !== 'admin') {
      query.andWhere(
        'EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = project.id AND m.user_id = :userId)',
        { userId: user.id },
      );
    }
    const project = UUID.test(projectId) ? await query.getOne() : null;
    if (!project) throw new NotFoundException(`project ${projectId} not found`);
    return project;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

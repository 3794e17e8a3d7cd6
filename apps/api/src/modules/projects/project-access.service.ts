import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ProjectEntity, queryNamed } from '@foreman/database';
import type { AuthenticatedUser } from '../auth/authenticated-user';

/**
 * Who may see a project: admins see every project, labellers only those they are members of. A project
 * the caller may not see answers 404, exactly as one that does not exist, so ids cannot be probed.
 *
 * Both lookups run on every next and every submit, so they are named statements (planned once per
 * connection) rather than query-builder queries planned on each call.
 */
@Injectable()
export class ProjectAccessService {
  /** The project's columns under their entity property names. */
  private readonly columns: string;

  constructor(@InjectDataSource() private readonly db: DataSource) {
    this.columns = db
      .getMetadata(ProjectEntity)
      .columns.map((column) => `p."${column.databaseName}" AS "${column.propertyName}"`)
      .join(', ');
  }

  async getForUser(user: AuthenticatedUser, projectId: string): Promise<ProjectEntity> {
    const project = UUID.test(projectId)
      ? await this.visibleTo(user, 'project-by-id', 'p.id = $3', projectId)
      : null;
    if (!project) throw new NotFoundException(`project ${projectId} not found`);
    return project;
  }

  /**
   * The project of item `itemId` if the caller may see it, else null (unknown item or not theirs alike):
   * one query, where looking up the item's project and then the project took two.
   */
  async getForItem(user: AuthenticatedUser, itemId: number): Promise<ProjectEntity | null> {
    return this.visibleTo(
      user,
      'project-by-item',
      'p.id = (SELECT i.project_id FROM items i WHERE i.id = $3)',
      itemId,
    );
  }

  /** The project matching `condition` on $3 if the caller may see it. */
  private async visibleTo(
    user: AuthenticatedUser,
    name: string,
    condition: string,
    key: string | number,
  ): Promise<ProjectEntity | null> {
    const [row] = await queryNamed<ProjectEntity>(
      this.db,
      name,
      `SELECT ${this.columns} FROM projects p
        WHERE ${condition}
          AND ($1 OR EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = p.id AND m.user_id = $2))`,
      [user.role === 'admin', user.id, key],
    );
    return row ? Object.assign(new ProjectEntity(), row) : null;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

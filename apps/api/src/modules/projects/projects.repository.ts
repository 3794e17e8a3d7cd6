import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ProjectEntity } from '@foreman/database';
import type { DomainEvent, Role, createProjectRequestSchema } from '@foreman/contracts';
import type { z } from 'zod';
import { OutboxRepository } from '../outbox/outbox.repository';
import type { UserRow } from '../users/users.repository';

/** The project's settings as stored (every field of the create request, defaults applied). */
export type ProjectSettings = z.infer<typeof createProjectRequestSchema>;

export interface ProjectUsage {
  hasItems: boolean;
  /** Class names that live labels use. */
  usedClasses: string[];
  /** Whether a live label has more than one class. */
  hasMultiClassLabels: boolean;
}

@Injectable()
export class ProjectsRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly outbox: OutboxRepository,
  ) {}

  private get projects() {
    return this.db.getRepository(ProjectEntity);
  }

  listAll(): Promise<ProjectEntity[]> {
    return this.projects.find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** The projects a labeller is a member of, archived ones left out. */
  listForMember(userId: string): Promise<ProjectEntity[]> {
    return this.projects
      .createQueryBuilder('project')
      .innerJoin('project_members', 'member', 'member.project_id = project.id AND member.user_id = :userId', {
        userId,
      })
      .where('NOT project.archived')
      .orderBy('project.createdAt', 'ASC')
      .addOrderBy('project.id', 'ASC')
      .getMany();
  }

  async create(settings: ProjectSettings, createdBy: string): Promise<ProjectEntity> {
    const project = this.projects.create({ ...settings, archived: false, createdBy });
    return this.projects.save(project);
  }

  async usage(projectId: string): Promise<ProjectUsage> {
    const rows: ProjectUsage[] = await this.db.query(
      `SELECT EXISTS (SELECT 1 FROM items WHERE project_id = $1) AS "hasItems",
              ARRAY(SELECT DISTINCT unnest(value) FROM labels
                     WHERE project_id = $1 AND retracted_at IS NULL) AS "usedClasses",
              EXISTS (SELECT 1 FROM labels WHERE project_id = $1 AND retracted_at IS NULL
                         AND cardinality(value) > 1) AS "hasMultiClassLabels"`,
      [projectId],
    );
    return rows[0]!;
  }

  /**
   * Writes only the changed fields, so two admins editing different fields do not undo each other.
   * A new labels-per-item quota is applied to the project's items in the same transaction.
   */
  /** Writes the changes, and `event` to the outbox with them. */
  async update(
    projectId: string,
    changes: Partial<ProjectSettings> & { archived?: boolean },
    event: DomainEvent | null,
  ): Promise<ProjectEntity> {
    return this.db.transaction(async (manager) => {
      const projects = manager.getRepository(ProjectEntity);
      if (Object.keys(changes).length > 0) await projects.update({ id: projectId }, changes);
      if (event) await this.outbox.enqueue(manager, event);
      if (changes.labelsPerItem !== undefined) {
        await manager.query(
          `UPDATE items SET remaining_labels = GREATEST($2::integer - label_count, 0)
            WHERE project_id = $1 AND remaining_labels <> GREATEST($2::integer - label_count, 0)`,
          [projectId, changes.labelsPerItem],
        );
      }
      return projects.findOneByOrFail({ id: projectId });
    });
  }

  listMembers(projectId: string): Promise<UserRow[]> {
    return this.db.query(
      `SELECT u.id, u.email, u.display_name AS "displayName", u.role, u.active, u.created_at AS "createdAt"
         FROM project_members m JOIN users u ON u.id = m.user_id
        WHERE m.project_id = $1
        ORDER BY lower(u.email)`,
      [projectId],
    );
  }

  /** Adds the user (a no-op when already a member); false when there is no such user. */
  async addMember(projectId: string, userId: string): Promise<boolean> {
    const rows: { role: Role }[] = await this.db.query(
      `WITH target AS (SELECT id, role FROM users WHERE id = $2),
            added AS (INSERT INTO project_members (project_id, user_id)
                      SELECT $1, id FROM target ON CONFLICT DO NOTHING)
       SELECT role FROM target`,
      [projectId, userId],
    );
    return rows.length > 0;
  }

  /**
   * Deletes the project if it is archived, with its items, labels, leases, skips and model versions (by
   * cascade; the scheduler drops its ranking partitions at its next sweep). False when it was not archived.
   */
  async deleteArchived(projectId: string): Promise<boolean> {
    const [, deleted] = (await this.db.query(`DELETE FROM projects WHERE id = $1 AND archived`, [
      projectId,
    ])) as [unknown, number];
    return deleted > 0;
  }

  /** Removes the user and releases their leases in the project, so their items go back to the queue. */
  async removeMember(projectId: string, userId: string): Promise<void> {
    await this.db.transaction(async (manager) => {
      await manager.query(`DELETE FROM project_members WHERE project_id = $1 AND user_id = $2`, [
        projectId,
        userId,
      ]);
      await manager.query(`DELETE FROM leases WHERE project_id = $1 AND labeller_id = $2`, [
        projectId,
        userId,
      ]);
    });
  }
}

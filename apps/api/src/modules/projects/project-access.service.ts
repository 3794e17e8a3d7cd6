import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ProjectEntity, queryNamed } from '@foreman/database';
import { SESSION_OWNER_SQL, type SessionOwner } from '../auth/auth.repository';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { parseId } from '../queue/id-param.pipe';

/** A project named by a route: by its own id, or as the project of an item. */
export type ProjectKey = { of: 'project'; id: string } | { of: 'item'; id: number };

/**
 * Who may see a project: admins see every project, labellers only those they are members of. A project
 * the caller may not see answers 404, exactly as one that does not exist, so ids cannot be probed.
 *
 * The lookups run on every next and every submit, so they are named statements (planned once per
 * connection) rather than query-builder queries planned on each call.
 */
@Injectable()
export class ProjectAccessService {
  /** The project's columns under their entity property names, each with this prefix. */
  private readonly columns: (prefix: string) => string;

  constructor(@InjectDataSource() private readonly db: DataSource) {
    const columns = db.getMetadata(ProjectEntity).columns;
    this.columns = (prefix) =>
      columns.map((column) => `p."${column.databaseName}" AS "${prefix}${column.propertyName}"`).join(', ');
  }

  async getForUser(user: AuthenticatedUser, projectId: string): Promise<ProjectEntity> {
    const key = projectKey('project', projectId);
    const project = key && (await this.findVisible(user, key));
    if (!project) throw new NotFoundException(`project ${projectId} not found`);
    return project;
  }

  /** The project `key` names if the caller may see it, else null. */
  async findVisible(user: AuthenticatedUser, key: ProjectKey): Promise<ProjectEntity | null> {
    const [row] = await queryNamed<ProjectEntity>(
      this.db,
      `project-by-${key.of}`,
      `SELECT ${this.columns('')} FROM projects p
        WHERE ${projectCondition(key, '$3')} AND ${visibleTo('$1', '$2')}`,
      [user.role === 'admin', user.id, key.id],
    );
    return row ? Object.assign(new ProjectEntity(), row) : null;
  }

  /**
   * SESSION_OWNER_SQL for token hash `tokenHash`, with the project `key` names if that owner may see it:
   * one round trip where the session and the project took two (AuthGuard, for the labelling path's routes).
   * Null when the session is not live.
   */
  async findSessionOwnerWithProject(
    tokenHash: string,
    key: ProjectKey,
  ): Promise<{ owner: SessionOwner; project: ProjectEntity | null } | null> {
    const [row] = await queryNamed<SessionOwner & Record<string, unknown>>(
      this.db,
      `session-owner-project-by-${key.of}`,
      `WITH owner AS (${SESSION_OWNER_SQL})
       SELECT o.*, ${this.columns(PROJECT_PREFIX)} FROM owner o
         LEFT JOIN LATERAL (
           SELECT * FROM projects p
            WHERE ${projectCondition(key, '$2')} AND ${visibleTo(`o.role = 'admin'`, 'o.id')}
         ) p ON true`,
      [tokenHash, key.id],
    );
    if (!row) return null;
    const { id, email, displayName, role, sessionId } = row;
    const project = Object.fromEntries(
      Object.entries(row)
        .filter(([column]) => column.startsWith(PROJECT_PREFIX))
        .map(([column, value]) => [column.slice(PROJECT_PREFIX.length), value]),
    );
    return {
      owner: { id, email, displayName, role, sessionId },
      project: project.id ? Object.assign(new ProjectEntity(), project) : null,
    };
  }
}

const PROJECT_PREFIX = 'project.';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The project a route's path param names, or null when the param is no id of that kind (no project). */
export function projectKey(of: ProjectKey['of'], param: string): ProjectKey | null {
  if (of === 'project') return UUID.test(param) ? { of, id: param } : null;
  const id = parseId(param);
  return id === null ? null : { of, id };
}

/** Project `p` is the one `key` names, the key being parameter `param`. */
function projectCondition(key: ProjectKey, param: string): string {
  return key.of === 'project'
    ? `p.id = ${param}`
    : `p.id = (SELECT i.project_id FROM items i WHERE i.id = ${param})`;
}

/** Project `p` is visible to user `userId`, an admin when `isAdmin` holds. */
function visibleTo(isAdmin: string, userId: string): string {
  return `(${isAdmin} OR EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = p.id AND m.user_id = ${userId}))`;
}

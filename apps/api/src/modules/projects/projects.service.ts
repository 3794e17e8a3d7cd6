import { isDeepStrictEqual } from 'node:util';
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import {
  EVENT_TYPES,
  MODEL_SETTINGS,
  buildEvent,
  createProjectRequestSchema,
  type FieldIssue,
  type Project,
  type UpdateProjectRequest,
  type User,
} from '@foreman/contracts';
import type { ProjectEntity } from '@foreman/database';
import { currentCorrelationId } from '@foreman/observability';
import { ZodValidationPipe } from '../../common/zod-validation.pipe';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { OutboxRelay } from '../outbox/outbox.relay';
import { toUser } from '../users/users.service';
import { ProjectAccessService } from './project-access.service';
import { ProjectsRepository, type ProjectSettings } from './projects.repository';

const validateProject = new ZodValidationPipe(createProjectRequestSchema);

function settingsOf(project: ProjectEntity): ProjectSettings {
  return {
    name: project.name,
    description: project.description,
    classes: project.classes,
    multiLabel: project.multiLabel,
    inputKind: project.inputKind,
    shape: project.shape,
    labelsPerItem: project.labelsPerItem,
    leaseSeconds: project.leaseSeconds,
    strategy: project.strategy,
    shuffleProportion: project.shuffleProportion,
    retrainEveryLabels: project.retrainEveryLabels,
    retrainAfterSeconds: project.retrainAfterSeconds,
  };
}

export function toProject(project: ProjectEntity): Project {
  return {
    id: project.id,
    ...settingsOf(project),
    archived: project.archived,
    createdAt: project.createdAt.toISOString(),
  };
}

const product = (shape: number[] | null) => (shape ?? []).reduce((total, size) => total * size, 1);

@Injectable()
export class ProjectsService {
  constructor(
    private readonly projects: ProjectsRepository,
    private readonly access: ProjectAccessService,
    private readonly relay: OutboxRelay,
  ) {}

  /** Admins see every project; labellers the live projects they are members of. */
  async list(caller: AuthenticatedUser): Promise<Project[]> {
    const projects =
      caller.role === 'admin' ? await this.projects.listAll() : await this.projects.listForMember(caller.id);
    return projects.map(toProject);
  }

  async get(caller: AuthenticatedUser, projectId: string): Promise<Project> {
    return toProject(await this.access.getForUser(caller, projectId));
  }

  async create(caller: AuthenticatedUser, settings: ProjectSettings): Promise<Project> {
    return toProject(await this.projects.create(settings, caller.id));
  }

  /**
   * Merges the changes into the stored project and validates the result as a whole, as if it were
   * created so (400 naming each bad field); then refuses changes that would contradict the project's
   * items or labels (409). Nothing is written unless every check passes.
   */
  async update(
    caller: AuthenticatedUser,
    projectId: string,
    request: UpdateProjectRequest,
  ): Promise<Project> {
    const current = await this.access.getForUser(caller, projectId);
    const { archived, ...changes } = request;
    const next = validateProject.transform({ ...settingsOf(current), ...changes });
    await this.refuseConflictsWithData(current, next);

    // Only the fields sent, as validated (trimmed) in the merged project.
    const written: Partial<ProjectSettings> & { archived?: boolean } = Object.fromEntries(
      Object.keys(changes).map((key) => [key, next[key as keyof ProjectSettings]]),
    );
    if (archived !== undefined) written.archived = archived;
    // A new strategy or class list is the trainer's to act on now, not at the next retrain the labels cause.
    const before = settingsOf(current);
    const changed = MODEL_SETTINGS.filter(
      (key) => key in changes && !isDeepStrictEqual(next[key], before[key]),
    );
    const event =
      changed.length > 0
        ? buildEvent(EVENT_TYPES.projectModelSettingsChanged, current.id, { changed }, currentCorrelationId())
        : null;
    const updated = await this.projects.update(projectId, written, event);
    if (event) this.relay.wake();
    return toProject(updated);
  }

  /**
   * Deletes an archived project and everything in it, for good (409 while it is not archived: archiving
   * first closes labelling and gives a step that can be undone before one that cannot).
   */
  async delete(caller: AuthenticatedUser, projectId: string): Promise<void> {
    const project = await this.access.getForUser(caller, projectId);
    if (!project.archived || !(await this.projects.deleteArchived(project.id))) {
      throw new ConflictException(
        `project "${project.name}" is not archived: archive it first (deleting it cannot be undone)`,
      );
    }
  }

  private async refuseConflictsWithData(current: ProjectEntity, next: ProjectSettings): Promise<void> {
    const changesKind = next.inputKind !== current.inputKind;
    const changesLength = next.inputKind === 'vector' && product(next.shape) !== product(current.shape);
    const dropsClasses = current.classes.some((name) => !next.classes.includes(name));
    const becomesSingleLabel = current.multiLabel && !next.multiLabel;
    if (!changesKind && !changesLength && !dropsClasses && !becomesSingleLabel) return;

    const usage = await this.projects.usage(current.id);
    const issues: FieldIssue[] = [];
    if (usage.hasItems && changesKind) {
      issues.push({ field: 'inputKind', message: 'cannot change once the project has items' });
    } else if (usage.hasItems && changesLength) {
      issues.push({
        field: 'shape',
        message: `the project's items have ${product(current.shape)} values each; the shape must keep that size`,
      });
    }
    const removedInUse = usage.usedClasses.filter((name) => !next.classes.includes(name));
    if (removedInUse.length > 0) {
      issues.push({
        field: 'classes',
        message: `classes used by labels cannot be removed: ${removedInUse.join(', ')}`,
      });
    }
    if (becomesSingleLabel && usage.hasMultiClassLabels) {
      issues.push({ field: 'multiLabel', message: 'some labels have several classes; it must stay true' });
    }
    if (issues.length === 0) return;
    throw new ConflictException({
      message: issues.map((issue) => `${issue.field}: ${issue.message}`).join('; '),
      details: issues,
    });
  }

  async listMembers(caller: AuthenticatedUser, projectId: string): Promise<User[]> {
    await this.access.getForUser(caller, projectId);
    return (await this.projects.listMembers(projectId)).map(toUser);
  }

  async addMember(caller: AuthenticatedUser, projectId: string, userId: string): Promise<void> {
    await this.access.getForUser(caller, projectId);
    if (!(await this.projects.addMember(projectId, userId))) {
      throw new NotFoundException(`user ${userId} not found`);
    }
  }

  async removeMember(caller: AuthenticatedUser, projectId: string, userId: string): Promise<void> {
    await this.access.getForUser(caller, projectId);
    await this.projects.removeMember(projectId, userId);
  }
}

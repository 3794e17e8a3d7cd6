import { ConflictException } from '@nestjs/common';
import type { QueueConflictReason } from '@foreman/contracts';
import type { ProjectEntity } from '@foreman/database';

/** A 409 from the labelling queue, with the reason code clients act on beside the message people read. */
export function queueConflict(reason: QueueConflictReason, message: string): ConflictException {
  return new ConflictException({ message, reason });
}

/** 409 `archived` unless the project is open for labelling (next, skips cleared, undo). */
export function refuseIfArchived(project: Pick<ProjectEntity, 'id' | 'archived'>): void {
  if (project.archived)
    throw queueConflict('archived', `project ${project.id} is archived; labelling is closed`);
}

import { ConflictException } from '@nestjs/common';
import type { QueueConflictReason } from '@foreman/contracts';

/** A 409 from the labelling queue, with the reason code clients act on beside the message people read. */
export function queueConflict(reason: QueueConflictReason, message: string): ConflictException {
  return new ConflictException({ message, reason });
}

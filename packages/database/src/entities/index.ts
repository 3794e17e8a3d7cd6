import { ApiTokenEntity } from './api-token.entity';
import { ItemEntity } from './item.entity';
import { LabelEntity } from './label.entity';
import { LeaseEntity } from './lease.entity';
import { ModelVersionEntity } from './model-version.entity';
import { OutboxEventEntity } from './outbox-event.entity';
import { ProcessedEventEntity } from './processed-event.entity';
import { ProjectMemberEntity } from './project-member.entity';
import { ProjectEntity } from './project.entity';
import { SessionEntity } from './session.entity';
import { SkipEntity } from './skip.entity';
import { UserEntity } from './user.entity';

export {
  ApiTokenEntity,
  ItemEntity,
  LabelEntity,
  LeaseEntity,
  ModelVersionEntity,
  OutboxEventEntity,
  ProcessedEventEntity,
  ProjectEntity,
  ProjectMemberEntity,
  SessionEntity,
  SkipEntity,
  UserEntity,
};

export const entities = [
  ApiTokenEntity,
  ItemEntity,
  LabelEntity,
  LeaseEntity,
  ModelVersionEntity,
  OutboxEventEntity,
  ProcessedEventEntity,
  ProjectEntity,
  ProjectMemberEntity,
  SessionEntity,
  SkipEntity,
  UserEntity,
];

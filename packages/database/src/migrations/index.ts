import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { TrainingState1764300000000 } from './1764300000000-training-state';
import { SchedulerRankings1764400000000 } from './1764400000000-scheduler-rankings';
import { LeaseGrants1764500000000 } from './1764500000000-lease-grants';
import { QueueRanks1764600000000 } from './1764600000000-queue-ranks';
import { ProgressCountIndex1764700000000 } from './1764700000000-progress-count-index';
import { EventRetentionIndexes1764800000000 } from './1764800000000-event-retention-indexes';
import { ForeignKeyIndexes1764900000000 } from './1764900000000-foreign-key-indexes';
import { ShuffledRanks1765000000000 } from './1765000000000-shuffled-ranks';
import { RetractRequestIds1765100000000 } from './1765100000000-retract-request-ids';
import { UnknownClassMetrics1765200000000 } from './1765200000000-unknown-class-metrics';

/** Every migration, oldest first. Add new ones at the end. */
export const migrations = [
  InitialSchema1764000000000,
  SchedulerRankings1764400000000,
  LeaseGrants1764500000000,
  TrainingState1764300000000,
  QueueRanks1764600000000,
  ProgressCountIndex1764700000000,
  EventRetentionIndexes1764800000000,
  ForeignKeyIndexes1764900000000,
  ShuffledRanks1765000000000,
  RetractRequestIds1765100000000,
  UnknownClassMetrics1765200000000,
];

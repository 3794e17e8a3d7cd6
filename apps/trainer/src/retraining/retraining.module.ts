import { Module } from '@nestjs/common';
import { ItemsImportedConsumer } from '../consumers/items-imported.consumer';
import { LabelRetractedConsumer } from '../consumers/label-retracted.consumer';
import { LabelSubmittedConsumer } from '../consumers/label-submitted.consumer';
import { ProjectModelSettingsChangedConsumer } from '../consumers/project-model-settings-changed.consumer';
import { PoolScorerService } from '../scoring/pool-scorer.service';
import { LabelEventsService } from './label-events.service';
import { ModelVersionRepository } from './model-version.repository';
import { RetrainLoopService } from './retrain-loop.service';
import { RetrainService } from './retrain.service';
import { TrainingDataRepository } from './training-data.repository';
import { TrainingStateRepository } from './training-state.repository';

@Module({
  controllers: [
    LabelSubmittedConsumer,
    LabelRetractedConsumer,
    ItemsImportedConsumer,
    ProjectModelSettingsChangedConsumer,
  ],
  providers: [
    LabelEventsService,
    TrainingStateRepository,
    TrainingDataRepository,
    ModelVersionRepository,
    PoolScorerService,
    RetrainService,
    RetrainLoopService,
  ],
})
export class RetrainingModule {}

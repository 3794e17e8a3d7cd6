import { Module } from '@nestjs/common';
import { ModelVersionRepository } from './model-version.repository';
import { ModelsController } from './models.controller';

/** GET /projects/:id/models: the trainer's model versions and their metrics. */
@Module({ controllers: [ModelsController], providers: [ModelVersionRepository] })
export class ModelsModule {}

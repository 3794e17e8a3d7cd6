import { Module } from '@nestjs/common';
import { ModelVersionRepository } from './model-version.repository';
import { ModelsController } from './models.controller';
import { ModelsService } from './models.service';

/** GET /projects/:id/models: the trainer's model versions and their metrics. */
@Module({ controllers: [ModelsController], providers: [ModelsService, ModelVersionRepository] })
export class ModelsModule {}

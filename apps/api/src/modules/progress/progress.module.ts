import { Module } from '@nestjs/common';
import { ProgressController } from './progress.controller';
import { ProgressRepository } from './progress.repository';
import { ProgressService } from './progress.service';

/** GET /projects/:id/progress: counts, labellers and their agreement, classes, timeline. */
@Module({ controllers: [ProgressController], providers: [ProgressService, ProgressRepository] })
export class ProgressModule {}

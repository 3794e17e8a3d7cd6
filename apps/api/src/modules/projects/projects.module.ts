import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { ProjectMembersController } from './project-members.controller';
import { ProjectsController } from './projects.controller';
import { ProjectsRepository } from './projects.repository';
import { ProjectsService } from './projects.service';

/** Project definitions and membership (ProjectAccessService, in ProjectAccessModule, guards reads). */
@Module({
  imports: [OutboxModule],
  controllers: [ProjectsController, ProjectMembersController],
  providers: [ProjectsRepository, ProjectsService],
})
export class ProjectsModule {}

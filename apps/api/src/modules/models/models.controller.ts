import { Controller, Get, Param } from '@nestjs/common';
import type { ModelVersion } from '@foreman/contracts';
import { CurrentUser } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { ProjectAccessService } from '../projects/project-access.service';
import { ModelVersionRepository } from './model-version.repository';

@Controller('projects/:projectId/models')
export class ModelsController {
  constructor(
    private readonly access: ProjectAccessService,
    private readonly models: ModelVersionRepository,
  ) {}

  /** Every model version the trainer recorded, newest first (the dashboard's learning curve). */
  @Get()
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @Param('projectId') projectId: string,
  ): Promise<ModelVersion[]> {
    const project = await this.access.getForUser(user, projectId);
    return this.models.listForProject(project.id);
  }
}

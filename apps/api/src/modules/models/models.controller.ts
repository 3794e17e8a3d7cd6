import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { modelVersionSchema, type ModelVersion } from '@foreman/contracts';
import { ApiErrorResponses, ApiJsonResponse } from '../../common/openapi';
import { CurrentUser } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { ProjectAccessService } from '../projects/project-access.service';
import { ModelVersionRepository } from './model-version.repository';

@ApiTags('models')
@Controller('projects/:projectId/models')
export class ModelsController {
  constructor(
    private readonly access: ProjectAccessService,
    private readonly models: ModelVersionRepository,
  ) {}

  /** Every model version the trainer recorded, newest first (the dashboard's learning curve). */
  @Get()
  @ApiJsonResponse(200, 'model versions, newest first', z.array(modelVersionSchema))
  @ApiErrorResponses([404, 'no such project, or not a member'])
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @Param('projectId') projectId: string,
  ): Promise<ModelVersion[]> {
    const project = await this.access.getForUser(user, projectId);
    return this.models.listForProject(project.id);
  }
}

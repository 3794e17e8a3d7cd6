import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  modelListQuerySchema,
  modelVersionSchema,
  type ModelListQuery,
  type ModelVersion,
} from '@foreman/contracts';
import { ApiErrorResponses, ApiJsonResponse } from '../../common/openapi';
import { ZodValidationPipe } from '../../common/zod-validation.pipe';
import { CurrentUser } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { ProjectAccessService } from '../projects/project-access.service';
import { ModelsService } from './models.service';

@ApiTags('models')
@Controller('projects/:projectId/models')
export class ModelsController {
  constructor(
    private readonly access: ProjectAccessService,
    private readonly models: ModelsService,
  ) {}

  /** The model versions the trainer recorded, newest first (the dashboard's learning curve and table). */
  @Get()
  @ApiQuery({
    name: 'points',
    type: Number,
    required: false,
    description: 'at most this many (2–1000, default 200); docs/items.md says which',
  })
  @ApiJsonResponse(200, 'model versions, newest first', z.array(modelVersionSchema))
  @ApiErrorResponses(
    [400, 'points is not a whole number from 2 to 1000'],
    [404, 'no such project, or not a member'],
  )
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @Param('projectId') projectId: string,
    @Query(new ZodValidationPipe(modelListQuerySchema)) query: ModelListQuery,
  ): Promise<ModelVersion[]> {
    const project = await this.access.getForUser(user, projectId);
    return this.models.listForProject(project.id, query.points);
  }
}

import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { progressResponseSchema, type ProgressResponse } from '@foreman/contracts';
import { ApiErrorResponses, ApiJsonResponse } from '../../common/openapi';
import { CurrentUser } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { ProjectAccessService } from '../projects/project-access.service';
import { ProgressService } from './progress.service';

@ApiTags('progress')
@Controller('projects/:projectId/progress')
export class ProgressController {
  constructor(
    private readonly access: ProjectAccessService,
    private readonly progress: ProgressService,
  ) {}

  /** The project's progress for its members and admins (the team sees each other's counts). */
  @Get()
  @ApiJsonResponse(
    200,
    'counts, labellers and their agreement, classes, hourly timeline; on a large project a part that is ' +
      'slow to count may be reused for a while (docs/items.md, "How fresh")',
    progressResponseSchema,
  )
  @ApiErrorResponses([404, 'no such project, or not a member'])
  async get(
    @CurrentUser() user: AuthenticatedUser,
    @Param('projectId') projectId: string,
  ): Promise<ProgressResponse> {
    return this.progress.forProject(await this.access.getForUser(user, projectId));
  }
}

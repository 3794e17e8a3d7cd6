import { Controller, Get, Param } from '@nestjs/common';
import type { ProgressResponse } from '@foreman/contracts';
import { CurrentUser } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { ProjectAccessService } from '../projects/project-access.service';
import { ProgressService } from './progress.service';

@Controller('projects/:projectId/progress')
export class ProgressController {
  constructor(
    private readonly access: ProjectAccessService,
    private readonly progress: ProgressService,
  ) {}

  /** The project's progress for its members and admins (the team sees each other's counts). */
  @Get()
  async get(
    @CurrentUser() user: AuthenticatedUser,
    @Param('projectId') projectId: string,
  ): Promise<ProgressResponse> {
    return this.progress.forProject(await this.access.getForUser(user, projectId));
  }
}

import { Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { userSchema, type User } from '@foreman/contracts';
import { ApiErrorResponses, ApiJsonResponse } from '../../common/openapi';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { ProjectsService } from './projects.service';

/** Who labels a project. Labellers see only the projects they are members of. */
@ApiTags('projects')
@ApiErrorResponses([401, 'not signed in'], [403, 'not an admin'], [404, 'no such project or user'])
@Roles('admin')
@Controller('projects/:projectId/members')
export class ProjectMembersController {
  constructor(private readonly projects: ProjectsService) {}

  @Get()
  @ApiJsonResponse(200, "the project's members, by email", z.array(userSchema))
  list(@CurrentUser() caller: AuthenticatedUser, @Param('projectId') projectId: string): Promise<User[]> {
    return this.projects.listMembers(caller, projectId);
  }

  @Put(':userId')
  @HttpCode(204)
  @ApiJsonResponse(204, 'the user is a member (adding twice is fine)')
  add(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('projectId') projectId: string,
    @Param('userId', ParseUUIDPipe) userId: string,
  ): Promise<void> {
    return this.projects.addMember(caller, projectId, userId);
  }

  @Delete(':userId')
  @HttpCode(204)
  @ApiJsonResponse(204, 'the user is no longer a member; their leases in the project are released')
  remove(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('projectId') projectId: string,
    @Param('userId', ParseUUIDPipe) userId: string,
  ): Promise<void> {
    return this.projects.removeMember(caller, projectId, userId);
  }
}

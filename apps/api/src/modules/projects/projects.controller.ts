import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  createProjectRequestSchema,
  projectSchema,
  updateProjectRequestSchema,
  type Project,
  type UpdateProjectRequest,
} from '@foreman/contracts';
import { ApiErrorResponses, ApiJsonBody, ApiJsonResponse } from '../../common/openapi';
import { ZodValidationPipe } from '../../common/zod-validation.pipe';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import type { ProjectSettings } from './projects.repository';
import { ProjectsService } from './projects.service';

@ApiTags('projects')
@ApiErrorResponses([401, 'not signed in'])
@Controller('projects')
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Get()
  @ApiJsonResponse(
    200,
    "admins: every project; labellers: the live projects they're members of",
    z.array(projectSchema),
  )
  list(@CurrentUser() caller: AuthenticatedUser): Promise<Project[]> {
    return this.projects.list(caller);
  }

  @Get(':projectId')
  @ApiJsonResponse(200, 'the project', projectSchema)
  @ApiErrorResponses([404, 'no such project, or the caller is not a member'])
  get(@CurrentUser() caller: AuthenticatedUser, @Param('projectId') projectId: string): Promise<Project> {
    return this.projects.get(caller, projectId);
  }

  @Post()
  @Roles('admin')
  @ApiJsonBody(createProjectRequestSchema)
  @ApiJsonResponse(201, 'the new project, defaults filled in', projectSchema)
  @ApiErrorResponses([400, 'a field is invalid (named in the message and details)'], [403, 'not an admin'])
  create(
    @CurrentUser() caller: AuthenticatedUser,
    @Body(new ZodValidationPipe(createProjectRequestSchema)) body: ProjectSettings,
  ): Promise<Project> {
    return this.projects.create(caller, body);
  }

  @Patch(':projectId')
  @Roles('admin')
  @ApiJsonBody(updateProjectRequestSchema)
  @ApiJsonResponse(200, 'the updated project', projectSchema)
  @ApiErrorResponses(
    [400, 'a field, or the project as changed, is invalid (named in the message and details)'],
    [403, 'not an admin'],
    [404, 'no such project'],
    [409, "the change contradicts the project's items or labels (e.g. removing a class in use)"],
  )
  update(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('projectId') projectId: string,
    @Body(new ZodValidationPipe(updateProjectRequestSchema)) body: UpdateProjectRequest,
  ): Promise<Project> {
    return this.projects.update(caller, projectId, body);
  }

  @Delete(':projectId')
  @HttpCode(204)
  @Roles('admin')
  @ApiJsonResponse(204, 'deleted for good, with its items, labels and models')
  @ApiErrorResponses([403, 'not an admin'], [404, 'no such project'], [409, 'the project is not archived'])
  delete(@CurrentUser() caller: AuthenticatedUser, @Param('projectId') projectId: string): Promise<void> {
    return this.projects.delete(caller, projectId);
  }
}

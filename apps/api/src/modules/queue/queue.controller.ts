import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import type { NextItemResponse, SkipItemResponse } from '@foreman/contracts';
import type { ProjectEntity } from '@foreman/database';
import { CurrentUser, ProjectFromPath, RouteProject } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { IdParamPipe } from './id-param.pipe';
import { QueueService } from './queue.service';

@Controller()
export class QueueController {
  constructor(private readonly queue: QueueService) {}

  /** The caller's next item under a lease (the same one again while their lease is live), or done. */
  @Post('projects/:projectId/next')
  @HttpCode(200)
  @ProjectFromPath('project', 'projectId')
  next(
    @CurrentUser() user: AuthenticatedUser,
    @RouteProject() project: ProjectEntity | null,
    @Param('projectId') projectId: string,
  ): Promise<NextItemResponse> {
    return this.queue.next(user, project, projectId);
  }

  @Post('items/:itemId/skip')
  @HttpCode(200)
  @ProjectFromPath('item', 'itemId')
  skip(
    @CurrentUser() user: AuthenticatedUser,
    @RouteProject() project: ProjectEntity | null,
    @Param('itemId', new IdParamPipe('item')) itemId: number,
  ): Promise<SkipItemResponse> {
    return this.queue.skip(user, project, itemId);
  }
}

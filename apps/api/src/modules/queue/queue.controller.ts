import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  clearSkipsResponseSchema,
  nextItemResponseSchema,
  skipItemResponseSchema,
  type ClearSkipsResponse,
  type NextItemResponse,
  type SkipItemResponse,
} from '@foreman/contracts';
import type { ProjectEntity } from '@foreman/database';
import { ApiErrorResponses, ApiJsonResponse } from '../../common/openapi';
import { CurrentUser, ProjectFromPath, RouteProject } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { IdParamPipe } from './id-param.pipe';
import { QueueService } from './queue.service';

@ApiTags('queue')
@Controller()
export class QueueController {
  constructor(private readonly queue: QueueService) {}

  /** The caller's next item under a lease (the same one again while their lease is live), or done. */
  @Post('projects/:projectId/next')
  @HttpCode(200)
  @ProjectFromPath('project', 'projectId')
  @ApiJsonResponse(
    200,
    "the caller's next item under a lease, or done with what is left for them (skipped, held by others)",
    nextItemResponseSchema,
  )
  @ApiErrorResponses([401, 'not signed in'], [404, 'no such project'], [409, 'the project is archived'])
  next(
    @CurrentUser() user: AuthenticatedUser,
    @RouteProject() project: ProjectEntity | null,
    @Param('projectId') projectId: string,
  ): Promise<NextItemResponse> {
    return this.queue.next(user, project, projectId);
  }

  /** The caller's skips in the project are forgotten: the items they passed on come back to them. */
  @Post('projects/:projectId/skips/clear')
  @HttpCode(200)
  @ProjectFromPath('project', 'projectId')
  @ApiJsonResponse(
    200,
    "the caller's skips in the project are cleared (other labellers' stay); their next item",
    clearSkipsResponseSchema,
  )
  @ApiErrorResponses([401, 'not signed in'], [404, 'no such project'], [409, 'the project is archived'])
  clearSkips(
    @CurrentUser() user: AuthenticatedUser,
    @RouteProject() project: ProjectEntity | null,
    @Param('projectId') projectId: string,
  ): Promise<ClearSkipsResponse> {
    return this.queue.clearSkips(user, project, projectId);
  }

  /** For the labelling page when it is closed, and for scripts that stop before labelling what they hold. */
  @Post('items/:itemId/release')
  @HttpCode(204)
  @ProjectFromPath('item', 'itemId')
  @ApiJsonResponse(204, 'the lease is released: the item is back in the queue now')
  @ApiErrorResponses(
    [401, 'not signed in'],
    [404, 'no such item'],
    [409, 'the caller holds no live lease on the item (reason `not-leased`)'],
  )
  release(
    @CurrentUser() user: AuthenticatedUser,
    @RouteProject() project: ProjectEntity | null,
    @Param('itemId', new IdParamPipe('item')) itemId: number,
  ): Promise<void> {
    return this.queue.release(user, project, itemId);
  }

  @Post('items/:itemId/skip')
  @HttpCode(200)
  @ProjectFromPath('item', 'itemId')
  @ApiJsonResponse(200, 'the lease is released and the skip recorded', skipItemResponseSchema)
  @ApiErrorResponses(
    [401, 'not signed in'],
    [404, 'no such item'],
    [409, 'the item was never served to the caller, or they labelled it'],
  )
  skip(
    @CurrentUser() user: AuthenticatedUser,
    @RouteProject() project: ProjectEntity | null,
    @Param('itemId', new IdParamPipe('item')) itemId: number,
  ): Promise<SkipItemResponse> {
    return this.queue.skip(user, project, itemId);
  }
}

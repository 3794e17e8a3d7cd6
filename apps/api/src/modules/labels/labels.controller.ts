import { Body, Controller, Delete, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  retractLabelResponseSchema,
  submitLabelRequestSchema,
  submitLabelResponseSchema,
  undoRequestSchema,
  type RetractLabelResponse,
  type SubmitLabelRequest,
  type SubmitLabelResponse,
  type UndoRequest,
} from '@foreman/contracts';
import type { ProjectEntity } from '@foreman/database';
import { ApiErrorResponses, ApiJsonBody, ApiJsonResponse } from '../../common/openapi';
import { ZodValidationPipe } from '../../common/zod-validation.pipe';
import { CurrentUser, ProjectFromPath, RouteProject } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { IdParamPipe } from '../queue/id-param.pipe';
import { LabelsService } from './labels.service';

@ApiTags('queue')
@Controller()
export class LabelsController {
  constructor(private readonly labels: LabelsService) {}

  /** 201 with the new label; 200 with the same label when this retries an earlier request. */
  @Post('items/:itemId/labels')
  @ProjectFromPath('item', 'itemId')
  @ApiJsonBody(submitLabelRequestSchema)
  @ApiJsonResponse(
    201,
    "the label, the caller's progress and, with `next: true`, their next item",
    submitLabelResponseSchema,
  )
  @ApiJsonResponse(
    200,
    'a retry (same clientRequestId): the label the first request created',
    submitLabelResponseSchema,
  )
  @ApiErrorResponses(
    [400, 'a malformed body or an unknown class'],
    [401, 'not signed in'],
    [404, 'no such item'],
    [409, 'refused: `reason` says why (already-labelled, never-served, lease-expired, fully-labelled)'],
  )
  async submit(
    @CurrentUser() user: AuthenticatedUser,
    @RouteProject() project: ProjectEntity | null,
    @Param('itemId', new IdParamPipe('item')) itemId: number,
    @Body(new ZodValidationPipe(submitLabelRequestSchema)) body: SubmitLabelRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SubmitLabelResponse> {
    const { created, ...answer } = await this.labels.submit(user, project, itemId, body);
    response.status(created ? 201 : 200);
    return answer;
  }

  @Post('projects/:projectId/undo')
  @HttpCode(200)
  @ApiJsonBody(undoRequestSchema)
  @ApiJsonResponse(
    200,
    "the label taken back and the caller's next item (usually that item again)",
    retractLabelResponseSchema,
  )
  @ApiErrorResponses(
    [400, 'a malformed body'],
    [401, 'not signed in'],
    [404, 'no such project, or no label to undo'],
    [409, 'the project is archived'],
  )
  undo(
    @CurrentUser() user: AuthenticatedUser,
    @Param('projectId') projectId: string,
    @Body(new ZodValidationPipe(undoRequestSchema)) body: UndoRequest,
  ): Promise<RetractLabelResponse> {
    return this.labels.undoLatest(user, projectId, body.clientRequestId ?? null);
  }

  @Delete('labels/:labelId')
  @ApiJsonResponse(200, "the label taken back and the caller's next item", retractLabelResponseSchema)
  @ApiErrorResponses(
    [400, 'a malformed label id'],
    [401, 'not signed in'],
    [403, "another labeller's label"],
    [404, 'no such label'],
    [409, 'already taken back, or the project is archived'],
  )
  retract(
    @CurrentUser() user: AuthenticatedUser,
    @Param('labelId', new IdParamPipe('label')) labelId: number,
  ): Promise<RetractLabelResponse> {
    return this.labels.retractById(user, labelId);
  }
}

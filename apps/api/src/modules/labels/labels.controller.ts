import { Body, Controller, Delete, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  submitLabelRequestSchema,
  undoRequestSchema,
  type RetractLabelResponse,
  type SubmitLabelRequest,
  type SubmitLabelResponse,
  type UndoRequest,
} from '@foreman/contracts';
import type { ProjectEntity } from '@foreman/database';
import { ApiJsonBody } from '../../common/openapi';
import { ZodValidationPipe } from '../../common/zod-validation.pipe';
import { CurrentUser, ProjectFromPath, RouteProject } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { IdParamPipe } from '../queue/id-param.pipe';
import { LabelsService } from './labels.service';

@Controller()
export class LabelsController {
  constructor(private readonly labels: LabelsService) {}

  /** 201 with the new label; 200 with the same label when this retries an earlier request. */
  @Post('items/:itemId/labels')
  @ProjectFromPath('item', 'itemId')
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
  undo(
    @CurrentUser() user: AuthenticatedUser,
    @Param('projectId') projectId: string,
    @Body(new ZodValidationPipe(undoRequestSchema)) body: UndoRequest,
  ): Promise<RetractLabelResponse> {
    return this.labels.undoLatest(user, projectId, body.clientRequestId ?? null);
  }

  @Delete('labels/:labelId')
  retract(
    @CurrentUser() user: AuthenticatedUser,
    @Param('labelId', new IdParamPipe('label')) labelId: number,
  ): Promise<RetractLabelResponse> {
    return this.labels.retractById(user, labelId);
  }
}

import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiErrorResponses } from '../../common/openapi';
import { exportQuerySchema, type ExportQuery } from '@foreman/contracts';
import { ZodValidationPipe } from '../../common/zod-validation.pipe';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { ProjectAccessService } from '../projects/project-access.service';
import { EXPORT_CONTENT_TYPES, exportDisposition } from './export-formats';
import { ExportService } from './export.service';

@ApiTags('export')
@Controller('projects/:projectId/export')
export class ExportController {
  constructor(
    private readonly access: ProjectAccessService,
    private readonly exports: ExportService,
  ) {}

  /** Every item with its live labels, majority, agreement and latest prediction, streamed. */
  @Get()
  @Roles('admin')
  @ApiQuery({ name: 'format', enum: ['csv', 'json', 'ndjson'], required: false })
  @ApiProduces('text/csv', 'application/json', 'application/x-ndjson')
  @ApiResponse({ status: 200, description: 'one row per item (docs/items.md lists the fields), streamed' })
  @ApiErrorResponses([400, 'unknown format'], [403, 'not an admin'], [404, 'no such project'])
  async export(
    @CurrentUser() user: AuthenticatedUser,
    @Param('projectId') projectId: string,
    @Query(new ZodValidationPipe(exportQuerySchema)) query: ExportQuery,
    @Res() response: Response,
  ): Promise<void> {
    const project = await this.access.getForUser(user, projectId);
    response.setHeader('Content-Type', EXPORT_CONTENT_TYPES[query.format]);
    response.setHeader('Content-Disposition', exportDisposition(project.name, query.format));
    await this.exports.writeTo(project.id, query.format, response);
  }
}

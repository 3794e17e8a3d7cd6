import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { importReportSchema, type ImportReport } from '@foreman/contracts';
import { ApiErrorResponses, ApiJsonResponse } from '../../common/openapi';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { ProjectAccessService } from '../projects/project-access.service';
import { ItemImportService } from './item-import.service';
import { importFormatOf, uploadBody } from './upload-body';

@ApiTags('items')
@Controller('projects/:projectId/items')
export class ItemsController {
  constructor(
    private readonly access: ProjectAccessService,
    private readonly imports: ItemImportService,
  ) {}

  /** Streams a JSON array, NDJSON or CSV body into the project; see docs/items.md for the rules. */
  @Post()
  @Roles('admin')
  @HttpCode(200)
  @ApiConsumes('application/json', 'application/x-ndjson', 'text/csv')
  @ApiBody({
    description:
      'A JSON array or NDJSON of {id?, vector | url | text}, or a CSV with a header (id?, then numeric ' +
      'columns, or url, or text). Streamed, up to 1 GiB; gzip accepted. Bad rows are reported, the rest imported.',
  })
  @ApiJsonResponse(200, 'what was inserted, duplicated and rejected (with row numbers)', importReportSchema)
  @ApiErrorResponses(
    [400, 'the file cannot be read as a whole (nothing written)'],
    [403, 'not an admin'],
    [404, 'no such project'],
    [409, 'the project is archived'],
    [413, 'over 1 GiB'],
    [415, 'not JSON, NDJSON or CSV'],
  )
  async import(
    @CurrentUser() user: AuthenticatedUser,
    @Param('projectId') projectId: string,
    @Req() request: Request,
  ): Promise<ImportReport> {
    const project = await this.access.getForUser(user, projectId);
    const format = importFormatOf(request.headers['content-type']);
    return this.imports.importFile(project, format, uploadBody(request));
  }
}

import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import type { ImportReport } from '@foreman/contracts';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { ProjectAccessService } from '../projects/project-access.service';
import { ItemImportService } from './item-import.service';
import { importFormatOf, uploadBody } from './upload-body';

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

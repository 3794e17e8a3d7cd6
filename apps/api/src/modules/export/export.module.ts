import { Module } from '@nestjs/common';
import { ExportController } from './export.controller';
import { ExportRepository } from './export.repository';
import { ExportService } from './export.service';

/** GET /projects/:id/export?format=csv|json|ndjson, streamed from a database cursor. */
@Module({ controllers: [ExportController], providers: [ExportService, ExportRepository] })
export class ExportModule {}

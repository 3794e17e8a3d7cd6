import { Injectable, Logger } from '@nestjs/common';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ExportFormat } from '@foreman/contracts';
import { ExportRepository } from './export.repository';
import { exportFormatter } from './export-formats';

@Injectable()
export class ExportService {
  private readonly logger = new Logger(ExportService.name);

  constructor(private readonly exports: ExportRepository) {}

  /**
   * Streams the project's items and labels into `out` with back-pressure (memory stays flat however
   * large the project). A failure half-way destroys `out`, so a client never mistakes a broken
   * download for a complete file.
   */
  async writeTo(projectId: string, format: ExportFormat, out: Writable): Promise<void> {
    const rows = await this.exports.streamItems(projectId);
    try {
      await pipeline(rows, exportFormatter(format), out);
    } catch (error) {
      this.logger.warn(`export of project ${projectId} stopped: ${(error as Error).message}`);
    }
  }
}

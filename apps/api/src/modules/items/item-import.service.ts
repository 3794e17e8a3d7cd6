import { ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { EVENT_TYPES, buildEvent, type ImportReport } from '@foreman/contracts';
import type { ProjectEntity } from '@foreman/database';
import { currentCorrelationId } from '@foreman/observability';
import { readCsv } from './csv-reader';
import { IMPORT_BATCH_SIZE, MAX_REPORTED_REJECTIONS } from './import-limits';
import { OutboxRepository } from '../outbox/outbox.repository';
import { ItemRepository } from './item.repository';
import { createRowValidator, vectorLength, type ItemCandidate } from './item-row-validator';
import { readJsonArray, readNdjson } from './json-readers';
import type { SourceRow } from './source-row';
import type { ImportFormat } from './upload-body';

type ImportProject = Pick<ProjectEntity, 'id' | 'inputKind' | 'shape' | 'labelsPerItem' | 'archived'>;

/**
 * Imports items from a stream of rows: each row is validated on its own (a bad row is rejected and
 * reported, the others go in), rows are inserted in batches and de-duplicated on external id. The
 * whole import is one transaction: if the file itself cannot be read or the upload breaks off,
 * nothing is written, and the queue never serves half an import.
 */
@Injectable()
export class ItemImportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly items: ItemRepository,
    private readonly outbox: OutboxRepository,
  ) {}

  importFile(
    project: ImportProject,
    format: ImportFormat,
    body: AsyncIterable<Buffer>,
  ): Promise<ImportReport> {
    const rows =
      format === 'csv'
        ? readCsv(body, { inputKind: project.inputKind, vectorLength: vectorLength(project.shape) })
        : format === 'ndjson'
          ? readNdjson(body)
          : readJsonArray(body);
    return this.importRows(project, rows);
  }

  /** Imports in the caller's transaction when given one (the demo seed), else in its own. */
  async importRows(
    project: ImportProject,
    rows: AsyncIterable<SourceRow>,
    transaction?: EntityManager,
  ): Promise<ImportReport> {
    if (project.archived)
      throw new ConflictException('the project is archived; unarchive it to import items');
    if (transaction) return this.importInTransaction(transaction, project, rows);
    return this.db.transaction((manager) => this.importInTransaction(manager, project, rows));
  }

  private async importInTransaction(
    db: EntityManager,
    project: ImportProject,
    rows: AsyncIterable<SourceRow>,
  ): Promise<ImportReport> {
    const check = createRowValidator(project);
    const report: ImportReport = { received: 0, inserted: 0, duplicates: 0, rejected: 0, rejections: [] };
    const reject = (row: number, reason: string) => {
      report.rejected++;
      if (report.rejections.length < MAX_REPORTED_REJECTIONS) report.rejections.push({ row, reason });
    };
    // One batch is written while the next is read and checked; at most two are held at a time.
    let batch: ItemCandidate[] = [];
    let writing: Promise<void> = Promise.resolve();
    const flush = async () => {
      await writing;
      const items = batch;
      batch = [];
      writing = this.items.insertBatch(db, project, items).then((inserted) => {
        report.inserted += inserted;
        report.duplicates += items.length - inserted;
      });
      writing.catch(() => undefined); // awaited by the next flush or at the end
    };

    for await (const row of rows) {
      report.received++;
      if ('error' in row) {
        reject(row.row, row.error);
        continue;
      }
      const checked = check(row.value);
      if ('reason' in checked) {
        reject(row.row, checked.reason);
        continue;
      }
      batch.push(checked);
      if (batch.length >= IMPORT_BATCH_SIZE) await flush();
    }
    if (batch.length > 0) await flush();
    await writing;

    if (report.inserted > 0) {
      const totalItems = await this.items.countItems(db, project.id);
      await this.outbox.enqueue(
        db,
        buildEvent(
          EVENT_TYPES.itemsImported,
          project.id,
          { inserted: report.inserted, totalItems },
          currentCorrelationId(),
        ),
      );
    }
    return report;
  }
}

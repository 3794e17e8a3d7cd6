import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import { API_CONFIG, type ApiConfig } from '../../config/env';
import { ItemImportService } from '../items/item-import.service';
import { DEMO_PROJECT_NAME, DemoRepository } from './demo.repository';
import { readDigitsFile } from './digits-file';

/** data/demo/digits.csv.gz of the repository, from src/modules/demo and dist/modules/demo alike. */
export const REPOSITORY_DIGITS_PATH = resolve(__dirname, '../../../../../data/demo/digits.csv.gz');

/**
 * SEED_DEMO=true: on start, creates the "Digits (demo)" project and imports the 1,797 digits through
 * the normal import path, once. The check and the import run in one transaction under an advisory
 * lock, so several instances starting together seed it once, and a failed seed leaves nothing behind.
 */
@Injectable()
export class DemoSeedService implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoSeedService.name);

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @InjectDataSource() private readonly db: DataSource,
    private readonly demo: DemoRepository,
    private readonly imports: ItemImportService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.SEED_DEMO) await this.seed();
  }

  /** Returns how many items it imported (0 when the project already existed). */
  async seed(): Promise<number> {
    const path = this.config.DEMO_DATA_PATH || REPOSITORY_DIGITS_PATH;
    await access(path).catch(() => {
      throw new Error(`SEED_DEMO is on but the demo data ${path} cannot be read (set DEMO_DATA_PATH)`);
    });
    const report = await this.db.transaction(async (tx) => {
      await this.demo.lockSeeding(tx);
      if (await this.demo.demoProjectExists(tx)) return null;
      const project = await this.demo.createDemoProject(tx);
      return this.imports.importRows(project, readDigitsFile(path), tx);
    });
    if (!report) return 0;
    if (report.rejected > 0) {
      this.logger.warn(
        `demo data: ${report.rejected} rows rejected, e.g. ${JSON.stringify(report.rejections[0])}`,
      );
    }
    this.logger.log(`created the "${DEMO_PROJECT_NAME}" project with ${report.inserted} items`);
    return report.inserted;
  }
}

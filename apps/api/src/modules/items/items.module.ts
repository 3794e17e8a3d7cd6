import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { ItemImportService } from './item-import.service';
import { ItemRepository } from './item.repository';
import { ItemsController } from './items.controller';

/** Bulk import of items (JSON array, NDJSON, CSV), streamed and de-duplicated. */
@Module({
  imports: [OutboxModule],
  controllers: [ItemsController],
  providers: [ItemImportService, ItemRepository],
  exports: [ItemImportService],
})
export class ItemsModule {}

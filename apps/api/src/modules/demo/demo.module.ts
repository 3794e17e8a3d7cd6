import { Module } from '@nestjs/common';
import { ItemsModule } from '../items/items.module';
import { DemoRepository } from './demo.repository';
import { DemoSeedService } from './demo-seed.service';

/** The digits demo project, seeded on start when SEED_DEMO=true. */
@Module({ imports: [ItemsModule], providers: [DemoSeedService, DemoRepository] })
export class DemoModule {}

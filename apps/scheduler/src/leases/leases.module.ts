import { Module } from '@nestjs/common';
import { QuotaRepository } from '../quotas/quota.repository';
import { QuotaService } from '../quotas/quota.service';
import { RankingModule } from '../ranking/ranking.module';
import { RetentionModule } from '../retention/retention.module';
import { LeaseRepository } from './lease.repository';
import { LeaseSweeperService } from './lease-sweeper.service';

@Module({
  imports: [RankingModule, RetentionModule],
  providers: [LeaseRepository, LeaseSweeperService, QuotaRepository, QuotaService],
  exports: [LeaseSweeperService, QuotaService],
})
export class LeasesModule {}

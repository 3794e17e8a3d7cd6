import { Module } from '@nestjs/common';
import { RankingComputedConsumer } from '../consumers/ranking-computed.consumer';
import { RankingRepository } from './ranking.repository';
import { RankingService } from './ranking.service';

@Module({
  controllers: [RankingComputedConsumer],
  providers: [RankingRepository, RankingService],
  exports: [RankingRepository, RankingService],
})
export class RankingModule {}

import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EVENT_TYPES, type RankingComputedEvent } from '@foreman/contracts';
import { RankingService } from '../ranking/ranking.service';

/**
 * ranking.computed chunks from the trainer. The transport has validated the event against the contracts
 * (malformed ones are dead-lettered with the reason) and acks only once this resolves, after the commit.
 */
@Controller()
export class RankingComputedConsumer {
  constructor(private readonly rankings: RankingService) {}

  @EventPattern(EVENT_TYPES.rankingComputed)
  async handle(@Payload() event: RankingComputedEvent): Promise<void> {
    await this.rankings.receiveChunk(event);
  }
}

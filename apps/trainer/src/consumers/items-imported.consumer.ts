import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EVENT_TYPES, type ItemsImportedEvent } from '@foreman/contracts';
import { LabelEventsService } from '../retraining/label-events.service';

@Controller()
export class ItemsImportedConsumer {
  constructor(private readonly labelEvents: LabelEventsService) {}

  @EventPattern(EVENT_TYPES.itemsImported)
  handle(@Payload() event: ItemsImportedEvent): Promise<void> {
    return this.labelEvents.recordItemsImported(event);
  }
}

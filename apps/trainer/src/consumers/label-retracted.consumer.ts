import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EVENT_TYPES, type LabelRetractedEvent } from '@foreman/contracts';
import { LabelEventsService } from '../retraining/label-events.service';

@Controller()
export class LabelRetractedConsumer {
  constructor(private readonly labelEvents: LabelEventsService) {}

  @EventPattern(EVENT_TYPES.labelRetracted)
  handle(@Payload() event: LabelRetractedEvent): Promise<void> {
    return this.labelEvents.recordLabelChange(event);
  }
}

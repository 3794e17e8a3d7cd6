import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EVENT_TYPES, type LabelSubmittedEvent } from '@foreman/contracts';
import { LabelEventsService } from '../retraining/label-events.service';

@Controller()
export class LabelSubmittedConsumer {
  constructor(private readonly labelEvents: LabelEventsService) {}

  @EventPattern(EVENT_TYPES.labelSubmitted)
  handle(@Payload() event: LabelSubmittedEvent): Promise<void> {
    return this.labelEvents.recordLabelChange(event);
  }
}

import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EVENT_TYPES, type ProjectModelSettingsChangedEvent } from '@foreman/contracts';
import { LabelEventsService } from '../retraining/label-events.service';

@Controller()
export class ProjectModelSettingsChangedConsumer {
  constructor(private readonly labelEvents: LabelEventsService) {}

  @EventPattern(EVENT_TYPES.projectModelSettingsChanged)
  handle(@Payload() event: ProjectModelSettingsChangedEvent): Promise<void> {
    return this.labelEvents.recordModelSettingsChanged(event);
  }
}

import { BaseRpcContext } from '@nestjs/microservices';

export interface EventDelivery {
  /** Which delivery of this event this is, from 1. */
  attempt: number;
  /** The queue (or in-process consumer) it came from. */
  consumer: string;
}

/** What `@Ctx()` gives an `@EventPattern` handler. */
export class EventContext extends BaseRpcContext<[EventDelivery]> {
  get attempt(): number {
    return this.getArgByIndex(0).attempt;
  }

  get consumer(): string {
    return this.getArgByIndex(0).consumer;
  }
}

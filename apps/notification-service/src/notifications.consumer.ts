import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ORDERS_TOPIC, type OrderEvent } from '@fanout/contracts';
import { EventBatchPattern, type EventBatchItem, type HandlerOutcome } from '@fanout/messaging';
import { NotificationsService } from './notifications.service';

/** The notification group's handler: each run of events is one outbox claim, then the sends. */
@Controller()
export class NotificationsConsumer {
  constructor(private readonly notifications: NotificationsService) {}

  @EventBatchPattern(ORDERS_TOPIC)
  handle(@Payload() items: EventBatchItem<OrderEvent>[]): Promise<HandlerOutcome> {
    return this.notifications.notifyAll(items);
  }
}

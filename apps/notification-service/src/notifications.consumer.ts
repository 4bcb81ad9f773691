import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { ORDERS_TOPIC, type OrderEvent } from '@fanout/contracts';
import type { HandlerOutcome } from '@fanout/messaging';
import { NotificationsService } from './notifications.service';

/** The notification group's handler. */
@Controller()
export class NotificationsConsumer {
  constructor(private readonly notifications: NotificationsService) {}

  @EventPattern(ORDERS_TOPIC)
  handle(@Payload() event: OrderEvent): Promise<HandlerOutcome> {
    return this.notifications.notify(event);
  }
}

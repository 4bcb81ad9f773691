import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ORDERS_TOPIC, type OrderEvent } from '@fanout/contracts';
import { EventBatchPattern, type EventBatchItem, type HandlerOutcome } from '@fanout/messaging';
import { OrderViewsService } from './order-views.service';

/** The cache-refresh group's handler: each run of events refreshes its orders' views in one round trip. */
@Controller()
export class OrderViewConsumer {
  constructor(private readonly views: OrderViewsService) {}

  @EventBatchPattern(ORDERS_TOPIC)
  handle(@Payload() items: EventBatchItem<OrderEvent>[]): Promise<HandlerOutcome> {
    return this.views.apply(items);
  }
}

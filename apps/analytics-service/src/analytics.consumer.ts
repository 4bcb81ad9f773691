import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ORDERS_TOPIC, type OrderEvent } from '@fanout/contracts';
import { EventBatchPattern, type EventBatchItem, type HandlerOutcome } from '@fanout/messaging';
import { AnalyticsService } from './analytics.service';

/** The analytics consumer group's handler: each run of order events updates the aggregates once, in one transaction. */
@Controller()
export class AnalyticsConsumer {
  constructor(private readonly analytics: AnalyticsService) {}

  @EventBatchPattern(ORDERS_TOPIC)
  async handle(@Payload() items: EventBatchItem<OrderEvent>[]): Promise<HandlerOutcome> {
    return this.analytics.apply(items);
  }
}

import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ORDERS_TOPIC } from '@fanout/contracts';
import { EventBatchPattern, type EventBatchItem, type HandlerOutcome } from '@fanout/messaging';
import { AnalyticsRepository } from './analytics.repository';

/** The analytics consumer group's handler: each run of order events updates the aggregates once, in one transaction. */
@Controller()
export class AnalyticsConsumer {
  constructor(private readonly analytics: AnalyticsRepository) {}

  @EventBatchPattern(ORDERS_TOPIC)
  async handle(@Payload() items: EventBatchItem[]): Promise<HandlerOutcome> {
    const applied = await this.analytics.applyEvents(items.map((item) => item.event));
    return { duplicates: items.length - applied };
  }
}

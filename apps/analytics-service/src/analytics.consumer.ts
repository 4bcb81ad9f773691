import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { ORDERS_TOPIC, type OrderEvent } from '@fanout/contracts';
import { AnalyticsRepository } from './analytics.repository';

/** The analytics consumer group's handler: every order event updates the aggregates exactly once in effect. */
@Controller()
export class AnalyticsConsumer {
  constructor(private readonly analytics: AnalyticsRepository) {}

  @EventPattern(ORDERS_TOPIC)
  async handle(@Payload() event: OrderEvent): Promise<void> {
    await this.analytics.applyOnce(event.id, (client) => {
      switch (event.type) {
        case 'dev.fanout.order.created.v1':
          return AnalyticsRepository.recordCreated(client, event.data);
        case 'dev.fanout.order.cancelled.v1':
          return AnalyticsRepository.recordCancelled(client, event.data);
      }
    });
  }
}

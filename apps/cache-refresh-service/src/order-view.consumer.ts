import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ORDERS_TOPIC, type OrderEvent } from '@fanout/contracts';
import type { RecordContext } from '@fanout/messaging';
import { OrderViewStore } from '@fanout/order-view';

/**
 * The cache-refresh group's handler: keeps each order's view in Redis. The record's offset is the
 * view's version, so a redelivered or older event never overwrites a newer view.
 */
@Controller()
export class OrderViewConsumer {
  constructor(private readonly views: OrderViewStore) {}

  @EventPattern(ORDERS_TOPIC)
  async handle(@Payload() event: OrderEvent, @Ctx() ctx: RecordContext): Promise<void> {
    const version = Number(ctx.origin.offset);
    switch (event.type) {
      case 'dev.fanout.order.created.v1':
        await this.views.apply({ ...event.data, status: 'CREATED' }, version);
        return;
      case 'dev.fanout.order.cancelled.v1':
        await this.views.apply({ orderId: event.data.orderId, status: 'CANCELLED', cancelledAt: event.data.cancelledAt }, version);
        return;
    }
  }
}

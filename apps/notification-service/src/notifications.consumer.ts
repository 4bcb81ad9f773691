import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { ORDERS_TOPIC, type OrderEvent } from '@fanout/contracts';
import type { HandlerOutcome } from '@fanout/messaging';
import { serviceInstanceId } from '@fanout/tracing';
import { NotificationChannel, type Notification } from './notification-channel';
import { NotificationsRepository } from './notifications.repository';

/** The notification group's handler: one notification per order event, never two for one event. */
@Controller()
export class NotificationsConsumer {
  private readonly instanceId = serviceInstanceId();

  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly channel: NotificationChannel,
  ) {}

  @EventPattern(ORDERS_TOPIC)
  async handle(@Payload() event: OrderEvent): Promise<HandlerOutcome> {
    const notification = toNotification(event);
    const sent = await this.notifications.deliverOnce(event.id, notification, this.instanceId, () => this.channel.send(notification));
    return { duplicates: sent ? 0 : 1 };
  }
}

function toNotification(event: OrderEvent): Notification {
  switch (event.type) {
    case 'dev.fanout.order.created.v1':
      return {
        kind: 'order-confirmed',
        orderId: event.data.orderId,
        recipient: event.data.customerId,
        message: `Your order ${event.data.orderId} of ${event.data.total} ${event.data.currency} is confirmed.`,
      };
    case 'dev.fanout.order.cancelled.v1':
      return {
        kind: 'order-cancelled',
        orderId: event.data.orderId,
        recipient: `order:${event.data.orderId}`,
        message: `Your order ${event.data.orderId} was cancelled.`,
      };
  }
}

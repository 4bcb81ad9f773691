import { Injectable } from '@nestjs/common';
import type { OrderEvent } from '@fanout/contracts';
import type { HandlerOutcome } from '@fanout/messaging';
import { serviceInstanceId } from '@fanout/tracing';
import { NotificationChannel, type Notification } from './notification-channel';
import { NotificationsRepository, type SentNotification } from './notifications.repository';

/** Notification's use cases: one notification per order event, never two for one event; what was sent. */
@Injectable()
export class NotificationsService {
  private readonly instanceId = serviceInstanceId();

  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly channel: NotificationChannel,
  ) {}

  /** The event id is the delivery key: a redelivered event finds it claimed and sends nothing. */
  async notify(event: OrderEvent): Promise<HandlerOutcome> {
    const notification = toNotification(event);
    const sent = await this.notifications.deliverOnce(event.id, notification, this.instanceId, () => this.channel.send(notification));
    return { duplicates: sent ? 0 : 1 };
  }

  sentFor(orderId: string): Promise<SentNotification[]> {
    return this.notifications.findByOrder(orderId);
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

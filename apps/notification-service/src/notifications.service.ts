import { Inject, Injectable } from '@nestjs/common';
import type { OrderEvent } from '@fanout/contracts';
import type { EventBatchItem, HandlerOutcome } from '@fanout/messaging';
import { serviceInstanceId, traceBulkWork } from '@fanout/tracing';
import { NotificationChannel, type Notification } from './notification-channel';
import { NotificationsRepository, type Delivery, type SentNotification } from './notifications.repository';

/** How many sends are in flight at once: also the most a crash can send twice (see sendAll). */
export const SEND_CONCURRENCY = Symbol('SEND_CONCURRENCY');

/** Notification's use cases: one notification per order event, never two for one event; what was sent. */
@Injectable()
export class NotificationsService {
  private readonly instanceId = serviceInstanceId();

  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly channel: NotificationChannel,
    @Inject(SEND_CONCURRENCY) private readonly concurrency: number,
  ) {}

  /**
   * A run of events as an outbox: their delivery keys (the event ids) are claimed in one statement, the
   * claimed ones sent, a group at a time, each with its key as the channel's idempotency key, and each
   * group marked sent once it is through. Events already sent are counted as duplicates.
   */
  async notifyAll(items: EventBatchItem<OrderEvent>[]): Promise<HandlerOutcome> {
    const deliveries = [...new Map(items.map(({ event }) => [event.id, { key: event.id, notification: toNotification(event) }])).values()];
    const due = await this.notifications.claim(deliveries, this.instanceId);
    await this.sendAll(deliveries.filter((d) => due.has(d.key)));
    return { duplicates: items.length - due.size };
  }

  sentFor(orderId: string): Promise<SentNotification[]> {
    return this.notifications.findByOrder(orderId);
  }

  /**
   * Groups of `concurrency` sends; a group's successes are marked before the next group starts, so a
   * crash leaves at most one group claimed but unmarked, and only those are sent again (same keys) when
   * the records are redelivered. The first failure stops the run and is rethrown once its group's
   * successes are marked: the runtime then retries the records one by one (or pauses, for backpressure).
   * One span for the run, its sends and marks inside untraced: a batch of 500 made 64 spans (a send span
   * and a mark-sent query per group) in the trace of its first sampled record.
   */
  private sendAll(deliveries: Delivery[]): Promise<void> {
    const groups = Math.ceil(deliveries.length / this.concurrency);
    return traceBulkWork(
      'notification send',
      { 'fanout.notification.count': deliveries.length, 'fanout.notification.groups': groups },
      async () => {
        for (let i = 0; i < deliveries.length; i += this.concurrency) {
          const group = deliveries.slice(i, i + this.concurrency);
          const outcomes = await Promise.allSettled(group.map((d) => this.channel.send(d.notification, d.key)));
          await this.notifications.markSent(group.filter((_, j) => outcomes[j]!.status === 'fulfilled').map((d) => d.key));
          const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
          if (failed) throw failed.reason;
        }
      },
    );
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

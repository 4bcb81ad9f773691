import { setTimeout as sleep } from 'node:timers/promises';
import { traceWork } from '@fanout/tracing';

export interface Notification {
  kind: 'order-confirmed' | 'order-cancelled';
  orderId: string;
  recipient: string;
  message: string;
}

/**
 * The outbound channel (e-mail, SMS, push in a real deployment). Here it is simulated: it takes
 * NOTIFICATION_CHANNEL_LATENCY_MS and delivers to nobody; the delivery log in PostgreSQL is the record.
 */
export class NotificationChannel {
  constructor(private readonly latencyMs: number) {}

  send(notification: Notification): Promise<void> {
    return traceWork('notification send', { 'fanout.notification.kind': notification.kind }, async () => {
      if (this.latencyMs > 0) await sleep(this.latencyMs);
    });
  }
}

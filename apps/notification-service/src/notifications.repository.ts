import { Inject, Injectable } from '@nestjs/common';
import { inTransaction, PG_POOL, type Pool } from '@fanout/postgres';
import type { Notification } from './notification-channel';

export interface SentNotification extends Notification {
  deliveryKey: string;
  instanceId: string;
  sentAt: string;
}

@Injectable()
export class NotificationsRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /**
   * Claims the delivery key and runs `deliver` in one transaction: a key already recorded sends nothing,
   * and a failed delivery leaves no record so a retry sends it. The remaining window: a crash after the
   * channel accepted but before COMMIT sends that one notification again on redelivery.
   */
  deliverOnce(deliveryKey: string, notification: Notification, instanceId: string, deliver: () => Promise<void>): Promise<boolean> {
    return inTransaction(this.pool, async (client) => {
      // Named: each connection parses and plans it once, not once per notification.
      const claimed = await client.query({
        name: 'claim-delivery-key',
        text: `INSERT INTO notification.sent_notifications (delivery_key, order_id, kind, recipient, message, instance_id)
               VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        values: [deliveryKey, notification.orderId, notification.kind, notification.recipient, notification.message, instanceId],
      });
      if (claimed.rowCount === 0) return false;
      await deliver();
      return true;
    });
  }

  async findByOrder(orderId: string): Promise<SentNotification[]> {
    const { rows } = await this.pool.query<{
      delivery_key: string;
      order_id: string;
      kind: Notification['kind'];
      recipient: string;
      message: string;
      instance_id: string;
      sent_at: Date;
    }>('SELECT * FROM notification.sent_notifications WHERE order_id = $1 ORDER BY sent_at', [orderId]);
    return rows.map((r) => ({
      deliveryKey: r.delivery_key,
      orderId: r.order_id,
      kind: r.kind,
      recipient: r.recipient,
      message: r.message,
      instanceId: r.instance_id,
      sentAt: r.sent_at.toISOString(),
    }));
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { arrayLiteral, PG_POOL, type Pool } from '@fanout/postgres';
import type { Notification } from './notification-channel';

export interface SentNotification extends Notification {
  deliveryKey: string;
  instanceId: string;
  sentAt: string;
}

export interface Delivery {
  key: string;
  notification: Notification;
}

/** The delivery outbox in PostgreSQL (schema.sql.ts): claims before a send, marks after it. */
@Injectable()
export class NotificationsRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /**
   * Claims the deliveries in one statement and returns the keys to send now: new ones, and ones claimed
   * before but never marked sent (a crash or a failed send in between). Keys already sent are left out.
   */
  async claim(deliveries: Delivery[], instanceId: string): Promise<Set<string>> {
    const column = (pick: (d: Delivery) => string) => arrayLiteral(deliveries, pick);
    const { rows } = await this.pool.query<{ delivery_key: string }>({
      // Named: each connection parses and plans it once.
      name: 'claim-deliveries',
      text: `INSERT INTO notification.deliveries (delivery_key, order_id, kind, recipient, message, instance_id)
             SELECT key, order_id, kind, recipient, message, $6 FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::text[])
               AS d(key, order_id, kind, recipient, message)
             ON CONFLICT (delivery_key) DO UPDATE SET claimed_at = now(), instance_id = EXCLUDED.instance_id
               WHERE notification.deliveries.sent_at IS NULL
             RETURNING delivery_key`,
      values: [
        column((d) => d.key),
        column((d) => d.notification.orderId),
        column((d) => d.notification.kind),
        column((d) => d.notification.recipient),
        column((d) => d.notification.message),
        instanceId,
      ],
    });
    return new Set(rows.map((r) => r.delivery_key));
  }

  /** Marks a group of sends done, in one statement. */
  async markSent(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.pool.query({
      name: 'mark-sent',
      text: 'UPDATE notification.deliveries SET sent_at = now() WHERE delivery_key = ANY($1::text[]) AND sent_at IS NULL',
      values: [arrayLiteral(keys)],
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

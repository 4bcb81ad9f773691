import { randomUUID } from 'node:crypto';
import { ORDER_CANCELLED, ORDER_CREATED, ORDERS_TOPIC } from '@fanout/contracts';
import { topicEndOffsets } from '@fanout/messaging';
import { testKafka } from './support/env';
import { eventually } from './support/eventually';
import { getOrder, postJson, randomOrder, submitOrder } from './support/orders';
import { readOrdersTopic } from './support/orders-topic';
import { notificationsSent } from './support/services';

const cancelNotifications = (orderId: string) => notificationsSent(orderId, 'order-cancelled');

/** Only what exists can be cancelled, and a cancel said twice is published once. */
describe('cancelling an order', () => {
  it('answers 404 for an order nobody accepted, and publishes nothing', async () => {
    const before = await topicEndOffsets(testKafka(), ORDERS_TOPIC);
    const response = await postJson(`/orders/${randomUUID()}/cancel`, {});
    expect(response.status).toBe(404);
    expect(((await response.json()) as { message: string }).message).toMatch(/does not exist/);
    expect(await topicEndOffsets(testKafka(), ORDERS_TOPIC)).toEqual(before);
  });

  it('publishes one OrderCancelled for two cancels of the same order, right after its 202', async () => {
    const { orderId } = await submitOrder(randomOrder());
    const [first, second] = await Promise.all([postJson(`/orders/${orderId}/cancel`, {}), postJson(`/orders/${orderId}/cancel`, {})]);
    expect([first!.status, second!.status]).toEqual([202, 202]);
    // Both answers came after Kafka acknowledged whatever each published: the log now holds all of it.
    expect((await readOrdersTopic()).filter((r) => r.key === orderId).map((r) => r.type)).toEqual([ORDER_CREATED, ORDER_CANCELLED]);
    // notification-service sends one notification per event: two OrderCancelled would be two notifications.
    await eventually(
      'the cancellation notified',
      () => cancelNotifications(orderId),
      (n) => n >= 1,
      { timeoutMs: 30_000 },
    );
    const view = await eventually(
      'the view CANCELLED',
      () => getOrder(orderId).catch(() => ({ status: 'MISSING' })),
      (v) => v.status === 'CANCELLED',
    );
    expect(view.status).toBe('CANCELLED');
    expect(await cancelNotifications(orderId)).toBe(1);
  });
});

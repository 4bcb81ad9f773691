import { anOrderCancelled, anOrderCreated, ORDER_CANCELLED, ORDER_CREATED, type OrderEvent } from '@fanout/contracts';
import type { EventBatchItem } from '@fanout/messaging';
import type { Notification, NotificationChannel } from './notification-channel';
import type { Delivery, NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';

const item = (event: OrderEvent): EventBatchItem<OrderEvent> => ({ event, origin: { topic: 'orders', partition: 0, offset: '0' } });
const created = (id: string) => item({ type: ORDER_CREATED, id, data: anOrderCreated() });

/** The outbox as the PostgreSQL one behaves: a claim returns keys not yet sent; a mark records them sent. */
function outbox() {
  const rows = new Map<string, { sent: boolean }>();
  const repository = {
    claim: jest.fn(async (deliveries: Delivery[]) => {
      const due = deliveries.filter((d) => !rows.get(d.key)?.sent).map((d) => d.key);
      for (const key of due) rows.set(key, { sent: false });
      return new Set(due);
    }),
    markSent: jest.fn(async (keys: string[]) => keys.forEach((key) => rows.set(key, { sent: true }))),
  };
  return { rows, repository: repository as unknown as NotificationsRepository, calls: repository };
}

function setUp(concurrency = 2, fails: (key: string) => Error | undefined = () => undefined) {
  const sent: [Notification, string][] = [];
  const channel = {
    send: jest.fn(async (notification: Notification, key: string) => {
      const error = fails(key);
      if (error) throw error;
      sent.push([notification, key]);
    }),
  } as unknown as NotificationChannel;
  const box = outbox();
  return { service: new NotificationsService(box.repository, channel, concurrency), sent, ...box };
}

describe('NotificationsService', () => {
  it('confirms a created order to its customer, with the event id as the idempotency key', async () => {
    const { service, sent, rows } = setUp();
    const data = anOrderCreated({ total: '44.98', currency: 'EUR' });
    await expect(service.notifyAll([item({ type: ORDER_CREATED, id: 'evt-1', data })])).resolves.toEqual({ duplicates: 0 });
    expect(sent).toEqual([
      [
        {
          kind: 'order-confirmed',
          orderId: data.orderId,
          recipient: 'customer-42',
          message: `Your order ${data.orderId} of 44.98 EUR is confirmed.`,
        },
        'evt-1',
      ],
    ]);
    expect(rows.get('evt-1')).toEqual({ sent: true });
  });

  it('tells of a cancellation, and sends nothing for a redelivered event', async () => {
    const { service, sent } = setUp();
    const cancelled = item({ type: ORDER_CANCELLED, id: 'evt-2', data: anOrderCancelled() });
    await service.notifyAll([cancelled]);
    await expect(service.notifyAll([cancelled])).resolves.toEqual({ duplicates: 1 });
    expect(sent.map(([n, key]) => [n.kind, key])).toEqual([['order-cancelled', 'evt-2']]);
  });

  it('claims a whole run at once and marks each group of sends as it completes', async () => {
    const { service, sent, calls } = setUp(2);
    await service.notifyAll(['a', 'b', 'c', 'd', 'e'].map(created));
    expect(calls.claim).toHaveBeenCalledTimes(1);
    expect(calls.markSent.mock.calls).toEqual([[['a', 'b']], [['c', 'd']], [['e']]]);
    expect(sent.map(([, key]) => key)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('stops at a failed send, keeping what went out marked and the rest claimed for the retry', async () => {
    const boom = new Error('channel down');
    const { service, rows, calls } = setUp(2, (key) => (key === 'c' ? boom : undefined));
    await expect(service.notifyAll(['a', 'b', 'c', 'd', 'e'].map(created))).rejects.toBe(boom);
    expect(calls.markSent.mock.calls).toEqual([[['a', 'b']], [['d']]]); // the failing group's success is marked too
    expect([...rows].filter(([, r]) => !r.sent).map(([key]) => key)).toEqual(['c', 'e']);
  });

  it('sends a claimed but unsent delivery again (after a crash), and only that one', async () => {
    const { service, sent, rows } = setUp();
    rows.set('a', { sent: true });
    rows.set('b', { sent: false }); // claimed, then the process died before marking it
    await expect(service.notifyAll(['a', 'b'].map(created))).resolves.toEqual({ duplicates: 1 });
    expect(sent.map(([, key]) => key)).toEqual(['b']);
  });
});

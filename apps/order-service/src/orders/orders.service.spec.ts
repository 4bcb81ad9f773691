import { ORDER_CANCELLED, ORDER_CREATED, ORDERS_TOPIC } from '@fanout/contracts';
import type { EventPublisher, OutgoingEvent } from '@fanout/messaging';
import type { OrderLedger, OrderViewStore } from '@fanout/order-view';
import { OrdersService } from './orders.service';

/** The ledger in memory, with the Redis one's semantics (claims are first-come, releases free them). */
function memoryLedger(): OrderLedger {
  const keys = new Map<string, string>();
  const claim = (key: string, value: string) => (keys.has(key) ? false : (keys.set(key, value), true));
  return {
    claimIdempotencyKey: async (key: string, orderId: string) => (claim(`idem:${key}`, orderId) ? undefined : keys.get(`idem:${key}`)),
    releaseIdempotencyKey: async (key: string) => void keys.delete(`idem:${key}`),
    recordAccepted: async (orderId: string) => void keys.set(`accepted:${orderId}`, '1'),
    forgetAccepted: async (orderId: string) => void keys.delete(`accepted:${orderId}`),
    wasAccepted: async (orderId: string) => keys.has(`accepted:${orderId}`),
    claimCancel: async (orderId: string) => claim(`cancelled:${orderId}`, '1'),
    releaseCancel: async (orderId: string) => void keys.delete(`cancelled:${orderId}`),
  } as unknown as OrderLedger;
}

const order = {
  customerId: 'c-42',
  currency: 'EUR',
  items: [
    { sku: 'BOOK-1', quantity: 2, unitPrice: '19.99' },
    { sku: 'PEN-3', quantity: 3, unitPrice: '0.10' },
  ],
};
const noViews = { get: async () => null } as unknown as OrderViewStore;

describe('OrdersService', () => {
  let published: OutgoingEvent[];
  let publish: jest.Mock;
  let service: OrdersService;

  beforeEach(() => {
    published = [];
    publish = jest.fn(async (event: OutgoingEvent) => void published.push(event));
    service = new OrdersService({ publish } as unknown as EventPublisher, noViews, memoryLedger());
  });

  it('publishes OrderCreated keyed by the new order id, with the exact total', async () => {
    const { orderId } = await service.create(order);
    expect(published).toEqual([
      {
        topic: ORDERS_TOPIC,
        key: orderId,
        type: ORDER_CREATED,
        data: expect.objectContaining({
          schemaVersion: 1,
          orderId,
          customerId: 'c-42',
          currency: 'EUR',
          total: '40.28',
          items: order.items,
        }),
      },
    ]);
  });

  it('answers a repeated idempotency key with the first order id and publishes nothing more', async () => {
    const first = await service.create(order, 'key-1');
    const again = await service.create(order, 'key-1');
    expect(again.orderId).toBe(first.orderId);
    expect(published).toHaveLength(1);
  });

  it('frees the key when the publish fails, so the retry publishes', async () => {
    publish.mockRejectedValueOnce(new Error('Kafka away'));
    await expect(service.create(order, 'key-2')).rejects.toThrow('Kafka away');
    const retried = await service.create(order, 'key-2');
    expect(published.map((e) => e.key)).toEqual([retried.orderId]);
  });

  it('cancels an order it accepted, before the read model shows it, keyed by the order id, once', async () => {
    const { orderId } = await service.create(order);
    await service.cancel(orderId);
    await service.cancel(orderId);
    expect(published.filter((e) => e.type === ORDER_CANCELLED)).toEqual([
      expect.objectContaining({ key: orderId, data: expect.objectContaining({ orderId }) }),
    ]);
  });

  it('refuses to cancel an order nobody accepted, publishing nothing', async () => {
    await expect(service.cancel('7f1a0d4e-3c1b-4a8e-9b9e-2f6d8c1e5a10')).rejects.toThrow('does not exist');
    expect(published).toEqual([]);
  });

  it('lets a cancel whose publish failed be retried', async () => {
    const { orderId } = await service.create(order);
    publish.mockRejectedValueOnce(new Error('Kafka away'));
    await expect(service.cancel(orderId)).rejects.toThrow('Kafka away');
    await service.cancel(orderId);
    expect(published.filter((e) => e.type === ORDER_CANCELLED)).toHaveLength(1);
  });
});

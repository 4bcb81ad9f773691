import { ORDER_CANCELLED, ORDER_CREATED, ORDERS_TOPIC } from '@fanout/contracts';
import type { EventPublisher, OutgoingEvent } from '@fanout/messaging';
import type { IdempotencyKeys, OrderViewStore } from '@fanout/order-view';
import { OrdersService } from './orders.service';

/** An idempotency store in memory, with the same claim/release semantics as the Redis one. */
function memoryKeys(): IdempotencyKeys {
  const keys = new Map<string, string>();
  return {
    claim: async (key: string, orderId: string) => {
      if (keys.has(key)) return keys.get(key);
      keys.set(key, orderId);
      return undefined;
    },
    release: async (key: string, orderId: string) => void (keys.get(key) === orderId && keys.delete(key)),
  } as unknown as IdempotencyKeys;
}

const order = {
  customerId: 'c-42',
  currency: 'EUR',
  items: [
    { sku: 'BOOK-1', quantity: 2, unitPrice: '19.99' },
    { sku: 'PEN-3', quantity: 3, unitPrice: '0.10' },
  ],
};

describe('OrdersService', () => {
  let published: OutgoingEvent[];
  let publish: jest.Mock;
  let service: OrdersService;

  beforeEach(() => {
    published = [];
    publish = jest.fn(async (event: OutgoingEvent) => void published.push(event));
    service = new OrdersService({ publish } as unknown as EventPublisher, {} as OrderViewStore, memoryKeys());
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

  it('cancels with the order id as key, so the cancel follows the order on its partition', async () => {
    await service.cancel('7f1a0d4e-3c1b-4a8e-9b9e-2f6d8c1e5a10');
    expect(published).toEqual([
      expect.objectContaining({
        key: '7f1a0d4e-3c1b-4a8e-9b9e-2f6d8c1e5a10',
        type: ORDER_CANCELLED,
        data: expect.objectContaining({ orderId: '7f1a0d4e-3c1b-4a8e-9b9e-2f6d8c1e5a10' }),
      }),
    ]);
  });
});

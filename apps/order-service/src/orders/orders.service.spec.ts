import { ORDER_CANCELLED, ORDER_CREATED, ORDERS_TOPIC } from '@fanout/contracts';
import type { EventPublisher, OutgoingEvent } from '@fanout/messaging';
import type { OrderLedger, OrderViewStore } from '@fanout/order-view';
import type { Principal } from '@fanout/service-kit';
import { OrdersService } from './orders.service';

/** The ledger in memory, with the Redis one's semantics (claims are first-come, releases free them). */
function memoryLedger(): OrderLedger {
  const keys = new Map<string, string>();
  const claim = (key: string, value: string) => (keys.has(key) ? false : (keys.set(key, value), true));
  return {
    claimIdempotencyKey: async (key: string, orderId: string) => (claim(`idem:${key}`, orderId) ? undefined : keys.get(`idem:${key}`)),
    releaseIdempotencyKey: async (key: string) => void keys.delete(`idem:${key}`),
    recordAccepted: async (orderId: string, customerId: string) => void keys.set(`accepted:${orderId}`, customerId),
    forgetAccepted: async (orderId: string) => void keys.delete(`accepted:${orderId}`),
    customerOf: async (orderId: string) => keys.get(`accepted:${orderId}`),
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
const client = (subject: string): Principal => ({ subject, scopes: new Set(['orders:write', 'orders:read']) });
const customer = (customerId: string): Principal => ({ ...client(customerId), customerId });
const backOffice = client('back-office');

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
    const { orderId } = await service.create(order, backOffice);
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
    const first = await service.create(order, backOffice, 'key-1');
    const again = await service.create(order, backOffice, 'key-1');
    expect(again.orderId).toBe(first.orderId);
    expect(published).toHaveLength(1);
  });

  it('frees the key when the publish fails, so the retry publishes', async () => {
    publish.mockRejectedValueOnce(new Error('Kafka away'));
    await expect(service.create(order, backOffice, 'key-2')).rejects.toThrow('Kafka away');
    const retried = await service.create(order, backOffice, 'key-2');
    expect(published.map((e) => e.key)).toEqual([retried.orderId]);
  });

  it('cancels an order it accepted, before the read model shows it, keyed by the order id, once', async () => {
    const { orderId } = await service.create(order, backOffice);
    await service.cancel(orderId, backOffice);
    await service.cancel(orderId, backOffice);
    expect(published.filter((e) => e.type === ORDER_CANCELLED)).toEqual([
      expect.objectContaining({ key: orderId, data: expect.objectContaining({ orderId }) }),
    ]);
  });

  it('refuses to cancel an order nobody accepted, publishing nothing', async () => {
    await expect(service.cancel('7f1a0d4e-3c1b-4a8e-9b9e-2f6d8c1e5a10', backOffice)).rejects.toThrow('does not exist');
    expect(published).toEqual([]);
  });

  it('lets a cancel whose publish failed be retried', async () => {
    const { orderId } = await service.create(order, backOffice);
    publish.mockRejectedValueOnce(new Error('Kafka away'));
    await expect(service.cancel(orderId, backOffice)).rejects.toThrow('Kafka away');
    await service.cancel(orderId, backOffice);
    expect(published.filter((e) => e.type === ORDER_CANCELLED)).toHaveLength(1);
  });

  it("keeps idempotency keys per caller: another caller's same key is another order", async () => {
    const mine = await service.create(order, backOffice, 'key-3');
    const theirs = await service.create(order, client('other-back-office'), 'key-3');
    expect(theirs.orderId).not.toBe(mine.orderId);
    expect(published).toHaveLength(2);
  });

  it("orders for the token's customer, and refuses a customer's order for another customer", async () => {
    await service.create({ ...order, customerId: 'c-7' }, customer('c-7'));
    expect(published[0]!.data).toEqual(expect.objectContaining({ customerId: 'c-7' }));
    await expect(service.create(order, customer('c-7'))).rejects.toThrow("a customer's token orders for its own customer only");
    expect(published).toHaveLength(1);
  });

  it("answers another customer's order as unknown: no cancel, no view", async () => {
    const { orderId } = await service.create(order, customer('c-42'));
    await expect(service.cancel(orderId, customer('c-43'))).rejects.toThrow('does not exist');
    await service.cancel(orderId, customer('c-42'));
    expect(published.filter((e) => e.type === ORDER_CANCELLED)).toHaveLength(1);
    const views = { get: async () => ({ orderId, status: 'CREATED', customerId: 'c-42' }) } as unknown as OrderViewStore;
    const reading = new OrdersService({ publish } as unknown as EventPublisher, views, memoryLedger());
    await expect(reading.find(orderId, customer('c-43'))).rejects.toThrow('does not exist');
    await expect(reading.find(orderId, customer('c-42'))).resolves.toEqual(expect.objectContaining({ orderId }));
    await expect(reading.find(orderId, backOffice)).resolves.toEqual(expect.objectContaining({ orderId }));
  });

  it('shows an order accepted here as PENDING until the read model has it, to its customer only', async () => {
    const { orderId } = await service.create(order, customer('c-42'));
    await expect(service.find(orderId, customer('c-42'))).resolves.toEqual({ orderId, status: 'PENDING', customerId: 'c-42' });
    await expect(service.find(orderId, customer('c-43'))).rejects.toThrow('does not exist');
  });
});

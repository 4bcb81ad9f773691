import { ConflictException } from '@nestjs/common';
import { ORDER_CANCELLED, ORDER_CREATED, ORDERS_TOPIC } from '@fanout/contracts';
import type { EventPublisher, OutgoingEvent } from '@fanout/messaging';
import type { KeyedOrder, OrderLedger, OrderViewStore } from '@fanout/order-view';
import type { Principal } from '@fanout/service-kit';
import { orderEventId } from './event-ids';
import { OrdersService } from './orders.service';

/** The ledger in memory, with the Redis one's semantics (claims are first-come, releases free them, take-overs compare and set). */
function memoryLedger(): OrderLedger {
  const keys = new Map<string, string>();
  const keyed = new Map<string, KeyedOrder>();
  const claim = (key: string, value: string) => (keys.has(key) ? false : (keys.set(key, value), true));
  return {
    claimIdempotencyKey: async (key: string, order: Pick<KeyedOrder, 'orderId' | 'createdAt' | 'request'>) => {
      const held = keyed.get(key);
      if (held) return { won: false, order: { ...held } };
      keyed.set(key, { ...order, state: 'pending', since: Date.now() });
      return { won: true, order: { ...keyed.get(key)! } };
    },
    takeOverIdempotencyKey: async (key: string, held: KeyedOrder) => {
      const won = JSON.stringify(keyed.get(key)) === JSON.stringify(held);
      if (won) keyed.set(key, { ...held, state: 'pending', since: Date.now() });
      return { won, order: { ...held, state: 'pending', since: Date.now() } };
    },
    settleIdempotencyKey: async (key: string, order: KeyedOrder, state: KeyedOrder['state']) => void keyed.set(key, { ...order, state }),
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
const ABANDONED_AFTER_MS = 20_000;

describe('OrdersService', () => {
  let published: OutgoingEvent[];
  let publish: jest.Mock;
  let service: OrdersService;
  let ledger: OrderLedger;

  beforeEach(() => {
    published = [];
    publish = jest.fn(async (event: OutgoingEvent) => void published.push(event));
    ledger = memoryLedger();
    service = new OrdersService({ publish } as unknown as EventPublisher, noViews, ledger, ABANDONED_AFTER_MS);
  });

  it('publishes OrderCreated keyed by the new order id, with the exact total', async () => {
    const { orderId } = await service.create(order, backOffice);
    expect(published).toEqual([
      {
        topic: ORDERS_TOPIC,
        key: orderId,
        id: orderEventId(orderId, ORDER_CREATED),
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

  it('publishes the same event again when a retry follows a failed publish (it may have landed), and nothing once one was acknowledged', async () => {
    const attempts: OutgoingEvent[] = [];
    publish.mockImplementationOnce(async (event: OutgoingEvent) => {
      attempts.push(event);
      throw new Error('Kafka away');
    });
    await expect(service.create(order, backOffice, 'key-2')).rejects.toThrow('Kafka away');
    const retried = await service.create(order, backOffice, 'key-2');
    await service.create(order, backOffice, 'key-2');
    expect(published.map((e) => e.key)).toEqual([retried.orderId]);
    expect(attempts).toEqual([{ ...published[0], key: retried.orderId }]); // the same event: id, createdAt and all
  });

  it('answers 409 while another request with the key is publishing, and publishes once', async () => {
    let acknowledge!: () => void;
    publish.mockImplementationOnce(async (event: OutgoingEvent) => {
      await new Promise<void>((resolve) => (acknowledge = resolve));
      published.push(event);
    });
    const first = service.create(order, backOffice, 'key-5');
    await new Promise((resolve) => setImmediate(resolve)); // the first holds the key and waits for Kafka
    await expect(service.create(order, backOffice, 'key-5')).rejects.toThrow(ConflictException);
    acknowledge();
    const { orderId } = await first;
    await expect(service.create(order, backOffice, 'key-5')).resolves.toEqual(expect.objectContaining({ orderId }));
    expect(published.map((e) => e.key)).toEqual([orderId]);
  });

  it('publishes again, as the same event, a keyed order whose publish was abandoned (pending longer than a publish takes)', async () => {
    const impatient = new OrdersService({ publish } as unknown as EventPublisher, noViews, ledger, 0);
    publish.mockImplementationOnce(() => new Promise<void>(() => undefined)); // its instance died: it never settles
    void impatient.create(order, backOffice, 'key-6');
    await new Promise((resolve) => setImmediate(resolve));
    const { orderId } = await impatient.create(order, backOffice, 'key-6');
    expect(published.map(({ key, id }) => ({ key, id }))).toEqual([{ key: orderId, id: orderEventId(orderId, ORDER_CREATED) }]);
  });

  it('refuses a key sent again with another order (409), publishing nothing for it', async () => {
    await service.create(order, backOffice, 'key-4');
    await expect(service.create({ ...order, currency: 'USD' }, backOffice, 'key-4')).rejects.toThrow(
      'this Idempotency-Key was sent before with another order',
    );
    expect(published).toHaveLength(1);
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

  it('lets a cancel whose publish failed be retried, as the same event', async () => {
    const { orderId } = await service.create(order, backOffice);
    let failedId: string | undefined;
    publish.mockImplementationOnce(async (event: OutgoingEvent) => {
      failedId = event.id;
      throw new Error('Kafka away');
    });
    await expect(service.cancel(orderId, backOffice)).rejects.toThrow('Kafka away');
    await service.cancel(orderId, backOffice);
    expect(published.filter((e) => e.type === ORDER_CANCELLED).map((e) => e.id)).toEqual([failedId]);
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
    const reading = new OrdersService({ publish } as unknown as EventPublisher, views, memoryLedger(), ABANDONED_AFTER_MS);
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

import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Partitioners } from 'kafkajs';
import { anOrderCancelled, anOrderCreated, ORDER_CANCELLED, ORDER_CREATED, ORDERS_TOPIC } from '@fanout/contracts';
import { cloudEventHeaders } from '@fanout/messaging';
import { databaseUrl, testKafka } from './support/env';
import { eventually } from './support/eventually';

/** A currency nobody else uses, so its totals are this test's alone. */
const uniqueCurrency = () => `Q${[0, 1].map(() => String.fromCharCode(65 + Math.floor(Math.random() * 26))).join('')}`;

/**
 * Analytics counts an order once and its cancellation once, however often the events arrive: a
 * redelivery (same event id) and a second event for the same order (another id, as a producer that
 * published again after an ambiguous failure would send) change nothing.
 */
describe('analytics applies each order once', () => {
  const producer = testKafka().producer({ createPartitioner: Partitioners.DefaultPartitioner });
  const db = new Client({ connectionString: databaseUrl });

  beforeAll(() => Promise.all([producer.connect(), db.connect()]));
  afterAll(() => Promise.all([producer.disconnect(), db.end()]));

  /** A record keyed by `key` (so on that order's partition), as a publisher would write it. */
  const record = (key: string, type: string, data: unknown, id = randomUUID()) => ({
    key,
    value: JSON.stringify(data),
    headers: cloudEventHeaders({ id, type }, '/e2e'),
  });

  const publish = (...messages: ReturnType<typeof record>[]) => producer.send({ topic: ORDERS_TOPIC, acks: -1, messages });

  const totals = async (currency: string) =>
    (
      await db.query<{ order_count: number; cancelled_count: number; revenue: string }>(
        'SELECT order_count::int, cancelled_count::int, revenue::text FROM analytics.currency_totals WHERE currency = $1',
        [currency],
      )
    ).rows[0];

  it('counts an order and its cancel once when both arrive repeated, under one id and under another', async () => {
    const currency = uniqueCurrency();
    const sku = `SKU-ONCE-${randomUUID()}`;
    const created = anOrderCreated({ currency, items: [{ sku, quantity: 3, unitPrice: '2.50' }], total: '7.50' });
    const { orderId } = created;
    const createdId = randomUUID();
    const cancel = anOrderCancelled({ orderId });
    const cancelId = randomUUID();
    const totalsOnce = (what: string, done: (t: Awaited<ReturnType<typeof totals>>) => boolean) =>
      eventually(what, () => totals(currency), done);
    await publish(
      record(orderId, ORDER_CREATED, created, createdId),
      record(orderId, ORDER_CREATED, created, createdId),
      record(orderId, ORDER_CREATED, created),
    );
    // In a later batch too: a redelivery comes after the first delivery was applied.
    const counted = await totalsOnce('analytics counting the order', (t) => t?.order_count === 1);
    await publish(
      record(orderId, ORDER_CREATED, created, createdId),
      record(orderId, ORDER_CANCELLED, cancel, cancelId),
      record(orderId, ORDER_CANCELLED, cancel, cancelId),
      record(orderId, ORDER_CANCELLED, cancel),
    );
    const after = await totalsOnce('analytics counting the cancel', (t) => t?.cancelled_count === 1);

    expect(counted).toEqual({ order_count: 1, cancelled_count: 0, revenue: '7.50' });
    expect(after).toEqual({ order_count: 1, cancelled_count: 1, revenue: '7.50' });
    const skus = await db.query<{ quantity: number }>('SELECT quantity::int FROM analytics.sku_quantities WHERE sku = $1', [sku]);
    expect(skus.rows).toEqual([{ quantity: 3 }]);
    // One more cancel redelivery, then another order on the same partition (same key) behind it: once that
    // order counts, the redelivery before it was processed too, and changed nothing.
    const marker = anOrderCreated({ currency, items: [{ sku, quantity: 1, unitPrice: '1.00' }], total: '1.00' });
    await publish(record(orderId, ORDER_CANCELLED, cancel, cancelId), record(orderId, ORDER_CREATED, marker));
    const last = await totalsOnce('analytics counting the order behind the repeat', (t) => t?.order_count === 2);
    expect(last).toEqual({ order_count: 2, cancelled_count: 1, revenue: '8.50' });
  });
});

import Big from 'big.js';
import Redis from 'ioredis';
import { Client } from 'pg';
import { OrderViewStore } from '@fanout/order-view';
import { databaseUrl, redisUrl } from './support/env';
import { eventually } from './support/eventually';
import { inParallel, randomOrder, revenueByCurrency, submitOrder } from './support/orders';
import { ordersSettled } from './support/orders-topic';
import { analyticsSummary } from './support/services';

/** Broadcast fan-out: every order reaches every consumer group, and each acts on it exactly once. */
describe('300 orders fan out to every consumer group', () => {
  const redis = new Redis(redisUrl);
  const db = new Client({ connectionString: databaseUrl });

  beforeAll(() => db.connect());
  afterAll(async () => {
    redis.disconnect();
    await db.end();
  });

  it('counts, sums, caches and notifies each order exactly once', async () => {
    await ordersSettled();
    const before = await analyticsSummary();
    const orders = Array.from({ length: 300 }, randomOrder);
    const accepted = await inParallel(orders, 20, submitOrder);
    const ids = accepted.map((a) => a.orderId);
    expect(new Set(ids).size).toBe(300);

    const after = await eventually('analytics counting 300 more orders', analyticsSummary, (s) => s.orderCount >= before.orderCount + 300);
    expect(after.orderCount).toBe(before.orderCount + 300);
    for (const [currency, revenue] of revenueByCurrency(orders)) {
      const delta = new Big(after.revenueByCurrency[currency] ?? 0).minus(before.revenueByCurrency[currency] ?? 0);
      expect(`${currency} ${delta.toFixed(2)}`).toBe(`${currency} ${revenue.toFixed(2)}`);
    }

    const keys = ids.map((id) => OrderViewStore.key(id));
    const views = await eventually(
      'Redis holding a view of all 300 orders',
      async () => (await redis.mget(keys)).filter((v): v is string => v !== null),
      (found) => found.length === 300,
    );
    expect(views.map((v) => (JSON.parse(v) as { orderId: string }).orderId).sort()).toEqual([...ids].sort());

    const sent = await eventually(
      'one notification per order',
      async () =>
        (
          await db.query<{ order_id: string; sends: number }>(
            'SELECT order_id, count(*)::int AS sends FROM notification.sent_notifications WHERE order_id = ANY($1) GROUP BY order_id',
            [ids],
          )
        ).rows,
      (rows) => rows.length === 300,
    );
    expect(sent.every((row) => row.sends === 1)).toBe(true);
  });
});

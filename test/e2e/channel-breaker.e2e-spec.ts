import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { databaseUrl } from './support/env';
import { eventually } from './support/eventually';
import { inParallel, randomOrder, submitOrder } from './support/orders';
import { fetchTrace } from './support/jaeger';
import { notificationBreakers, notificationInstances, notificationPauses, setChannelFailing } from './support/services';

/** A failing channel opens the breaker and pauses the partitions; when it heals, every order gets exactly one notification. */
describe('notification channel failure', () => {
  const db = new Client({ connectionString: databaseUrl });
  beforeAll(() => db.connect());
  afterAll(async () => {
    await setChannelFailing(false);
    await db.end();
  });

  it('backs off with an open breaker, then delivers each notification exactly once', async () => {
    await setChannelFailing(true);
    // One order alone, while the breaker is still closed: its send fails with the channel's own error, so
    // the record takes the retry topic. (Later ones meet an open breaker and pause instead of retrying.)
    const first = await submitOrder(randomOrder());
    // The retry hop shows in the order's own trace: order-service's publish → process → retry publish.
    const operations = await eventually(
      "the first order's trace with its retry hop",
      async () => (await fetchTrace(first.traceId))?.spans.map((s) => s.operationName) ?? [],
      (names) => names.includes('send orders.retry.notification'),
      { timeoutMs: 20_000, intervalMs: 500 },
    );
    expect(operations).toEqual(expect.arrayContaining(['send orders', 'process orders', 'send orders.retry.notification']));

    const accepted = [first, ...(await inParallel(Array.from({ length: 59 }, randomOrder), 10, submitOrder))];
    const ids = accepted.map((a) => a.orderId);

    const states = await eventually('a breaker opening', notificationBreakers, (s) => s.includes('Open'), { timeoutMs: 30_000 });
    expect(states.length).toBe(notificationInstances.length);
    const sentWhileFailing = await db.query('SELECT count(*)::int AS n FROM notification.sent_notifications WHERE order_id = ANY($1)', [
      ids,
    ]);
    expect(sentWhileFailing.rows[0].n).toBe(0);

    const pauses = await eventually('the consumers pausing partitions instead of retrying', notificationPauses, (n) => n > 0, {
      timeoutMs: 20_000,
    });
    expect(pauses).toBeGreaterThan(0);

    await sleep(2_000);
    await setChannelFailing(false);
    const sent = await eventually(
      'one notification per order after the channel healed',
      async () =>
        (
          await db.query<{ order_id: string; n: number }>(
            'SELECT order_id, count(*)::int AS n FROM notification.sent_notifications WHERE order_id = ANY($1) GROUP BY order_id',
            [ids],
          )
        ).rows,
      (rows) => rows.length === ids.length,
      { timeoutMs: 90_000, intervalMs: 1_000 },
    );
    expect(sent.every((row) => row.n === 1)).toBe(true);
  });
});

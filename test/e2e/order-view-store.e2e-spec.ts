import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { redisSecret, redisUrl, secretPath, withPassword } from '@fanout/local-stack';
import { OrderViewStore } from '@fanout/order-view';
import { settings } from './support/env';

/** The read model's batch write, against the real Redis, as cache-refresh-service's own ACL user. */
describe('OrderViewStore.applyAll', () => {
  const store = new OrderViewStore(
    withPassword(
      redisUrl(settings, 'cache-refresh-service'),
      readFileSync(secretPath(settings, redisSecret('cache-refresh-service')), 'utf8'),
    ),
  );

  beforeAll(() => store.connect());
  afterAll(() => store.onApplicationShutdown());

  it('applies a batch in order, each change only over an older view, and counts what changed', async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    expect(await store.applyAll([{ patch: { orderId: b, status: 'CREATED', customerId: 'cust-b' }, version: 10 }])).toBe(1);

    const changed = await store.applyAll([
      { patch: { orderId: a, status: 'CREATED', customerId: 'cust-a', total: '5.00' }, version: 3 },
      { patch: { orderId: b, status: 'CANCELLED' }, version: 9 }, // older than b's view: ignored
      { patch: { orderId: a, status: 'CANCELLED', cancelledAt: '2026-12-05T00:00:00.000Z' }, version: 4 }, // after a's creation, same batch
      { patch: { orderId: c, status: 'CREATED' }, version: 7 },
      { patch: { orderId: c, status: 'CANCELLED' }, version: 7 }, // the same version again: ignored
    ]);

    expect(changed).toBe(3);
    expect(await store.get(a)).toEqual({
      orderId: a,
      status: 'CANCELLED',
      customerId: 'cust-a',
      total: '5.00',
      cancelledAt: '2026-12-05T00:00:00.000Z',
      version: 4,
    });
    expect(await store.get(b)).toEqual({ orderId: b, status: 'CREATED', customerId: 'cust-b', version: 10 });
    expect(await store.get(c)).toEqual({ orderId: c, status: 'CREATED', version: 7 });
  });

  it('writes nothing for an empty batch', async () => {
    expect(await store.applyAll([])).toBe(0);
  });
});

import { randomUUID } from 'node:crypto';
import { postJson, randomOrder, type Accepted } from './support/orders';
import { ordersSettled, ordersTopicEnd, readOrdersTopic } from './support/orders-topic';
import { notificationsSent } from './support/services';

/**
 * A client that retries a POST with the same Idempotency-Key gets the same order, published once: a
 * repeat while the first is still being published gets 409 (retry later), one after it was acknowledged
 * the same order id. (A retry after a failed publish publishes the same event again: the unit spec and
 * the faults drill cover that; here Kafka does not fail.)
 */
describe('Idempotency-Key', () => {
  it('answers repeated requests with one order id, publishes it once, and notifies it once', async () => {
    const key = randomUUID();
    const order = randomOrder();
    const before = await ordersTopicEnd();
    const together = await Promise.all([
      postJson('/orders', order, { 'Idempotency-Key': key }),
      postJson('/orders', order, { 'Idempotency-Key': key }),
    ]);
    const later = await postJson('/orders', order, { 'Idempotency-Key': key });
    const statuses = [...together, later].map((r) => r.status);
    expect(statuses.filter((s) => s !== 202 && s !== 409)).toEqual([]);
    expect(statuses[0] === 202 || statuses[1] === 202).toBe(true);
    expect(statuses[2]).toBe(202);
    const accepted = [...together, later].filter((r) => r.status === 202);
    const ids = new Set(await Promise.all(accepted.map(async (r) => ((await r.json()) as Accepted).orderId)));
    expect(ids.size).toBe(1);
    const [orderId] = ids;

    expect((await readOrdersTopic(before)).map((r) => r.key)).toEqual([orderId]);
    await ordersSettled();
    expect(await notificationsSent(orderId!, 'order-confirmed')).toBe(1);
  });

  it('refuses a key sent again with another order (409), publishing nothing', async () => {
    const key = randomUUID();
    expect((await postJson('/orders', randomOrder(), { 'Idempotency-Key': key })).status).toBe(202);
    const before = await ordersTopicEnd();
    const reused = await postJson('/orders', randomOrder(), { 'Idempotency-Key': key });
    expect(reused.status).toBe(409);
    expect(((await reused.json()) as { message: string }).message).toBe('this Idempotency-Key was sent before with another order');
    expect(await ordersTopicEnd()).toEqual(before);
  });

  it('refuses a malformed key', async () => {
    const response = await postJson('/orders', randomOrder(), { 'Idempotency-Key': 'x'.repeat(200) });
    expect(response.status).toBe(400);
  });
});

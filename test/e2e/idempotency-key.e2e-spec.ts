import { randomUUID } from 'node:crypto';
import { ORDERS_TOPIC } from '@fanout/contracts';
import { topicEndOffsets } from '@fanout/messaging';
import { testKafka } from './support/env';
import { postJson, randomOrder, type Accepted } from './support/orders';

const total = (offsets: Map<number, bigint>) => [...offsets.values()].reduce((a, b) => a + b, 0n);

/** A client that retries a POST with the same Idempotency-Key gets the same order and causes one event. */
describe('Idempotency-Key', () => {
  it('answers a repeated request with the same order id and publishes once', async () => {
    const key = randomUUID();
    const order = randomOrder();
    const before = total(await topicEndOffsets(testKafka(), ORDERS_TOPIC));
    const responses = await Promise.all([
      postJson('/orders', order, { 'Idempotency-Key': key }),
      postJson('/orders', order, { 'Idempotency-Key': key }),
    ]);
    const again = await postJson('/orders', order, { 'Idempotency-Key': key });
    expect([...responses, again].map((r) => r.status)).toEqual([202, 202, 202]);
    const ids = await Promise.all([...responses, again].map(async (r) => ((await r.json()) as Accepted).orderId));
    expect(new Set(ids).size).toBe(1);
    expect(total(await topicEndOffsets(testKafka(), ORDERS_TOPIC)) - before).toBe(1n);
  });

  it('refuses a malformed key', async () => {
    const response = await postJson('/orders', randomOrder(), { 'Idempotency-Key': 'x'.repeat(200) });
    expect(response.status).toBe(400);
  });
});

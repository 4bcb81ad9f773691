import { ORDERS_TOPIC } from '@fanout/contracts';
import { topicEndOffsets } from '@fanout/messaging';
import { orderServiceUrl, testKafka } from './support/env';
import { backOffice } from './support/auth';
import { postJson, randomOrder } from './support/orders';

/** Bad input is refused with a message that says what is wrong, and nothing reaches Kafka. */
describe('POST /orders validation', () => {
  const valid = randomOrder();
  const cases: [string, string | object, number, RegExp][] = [
    ['malformed JSON', '{"customerId": "c1", ', 400, /JSON/i],
    ['missing fields', {}, 400, /customerId.*currency.*items|items/s],
    ['negative quantity', { ...valid, items: [{ sku: 'A', quantity: -1, unitPrice: '1.00' }] }, 400, /quantity/],
    ['unknown currency', { ...valid, currency: 'XYZ' }, 400, /currency/],
    ['float price', { ...valid, items: [{ sku: 'A', quantity: 1, unitPrice: 19.99 }] }, 400, /unitPrice/],
    ['no items', { ...valid, items: [] }, 400, /items/],
    [
      'a unit price over 999999.9999 (the largest order total must fit the event)',
      { ...valid, items: [{ sku: 'A', quantity: 1, unitPrice: '1000000.00' }] },
      400,
      /items\.0\.unitPrice: must be a decimal string of at most 6 digits before the point/,
    ],
    ['unknown field', { ...valid, discount: '100%' }, 400, /discount/],
    ['oversized body', { ...valid, customerId: 'x'.repeat(100 * 1024) }, 413, /large|limit/i],
  ];

  it.each(cases)('%s → %i with a message', async (_name, body, status, message) => {
    const offsetsBefore = await topicEndOffsets(testKafka(), ORDERS_TOPIC);
    const response = await postJson('/orders', body);
    expect(response.status).toBe(status);
    const payload = (await response.json()) as { message: string | string[] };
    expect([payload.message].flat().join('; ')).toMatch(message);
    expect(await topicEndOffsets(testKafka(), ORDERS_TOPIC)).toEqual(offsetsBefore);
  });

  it('cancelling something that is not an order id is a 400', async () => {
    const response = await postJson('/orders/not-a-uuid/cancel', {});
    expect(response.status).toBe(400);
  });

  it('an order that is not in the read model is a 404', async () => {
    const response = await fetch(`${orderServiceUrl}/orders/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`, {
      headers: await backOffice(),
    });
    expect(response.status).toBe(404);
  });
});

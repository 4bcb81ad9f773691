import { ORDER_CANCELLED, ORDER_CREATED } from '@fanout/contracts';
import { orderEventId } from './event-ids';

describe('orderEventId', () => {
  const orderId = '3b241101-e2bb-4255-8caf-4136c566a962';

  it('gives an order one id per event type, the same every time', () => {
    expect(orderEventId(orderId, ORDER_CREATED)).toBe(orderEventId(orderId, ORDER_CREATED));
    expect(orderEventId(orderId, ORDER_CANCELLED)).not.toBe(orderEventId(orderId, ORDER_CREATED));
    expect(orderEventId('9f3c2a10-0000-4000-8000-000000000001', ORDER_CREATED)).not.toBe(orderEventId(orderId, ORDER_CREATED));
  });

  it('is a name-based (version 5) UUID', () => {
    expect(orderEventId(orderId, ORDER_CREATED)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

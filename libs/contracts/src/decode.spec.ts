import { CE_HEADERS } from './headers';
import { decodeOrderEvent, type UndecodableEventError } from './decode';
import { anOrderCreated } from './fixtures';
import { ORDER_CANCELLED, ORDER_CREATED } from './order-events';

const created = anOrderCreated();
const headers = (type: string) => ({ [CE_HEADERS.type]: type, [CE_HEADERS.id]: 'e1' });
const reasonOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as UndecodableEventError).reason;
  }
  return 'decoded';
};

describe('decodeOrderEvent', () => {
  it('decodes a valid event, narrowed by its CloudEvents type', () => {
    const event = decodeOrderEvent(headers(ORDER_CREATED), Buffer.from(JSON.stringify(created)));
    expect(event).toEqual({ type: ORDER_CREATED, id: 'e1', data: created });
  });

  it.each([
    ['missing-type', {}, JSON.stringify(created)],
    ['unknown-type', headers('dev.fanout.order.shipped.v1'), JSON.stringify(created)],
    ['invalid-json', headers(ORDER_CREATED), '\u00de\u00ad'],
    ['schema-violation', headers(ORDER_CREATED), JSON.stringify({ ...created, total: 39.98 })],
    [
      'schema-violation',
      headers(ORDER_CANCELLED),
      JSON.stringify({ schemaVersion: 2, orderId: created.orderId, cancelledAt: created.createdAt }),
    ],
  ])('refuses poison with reason %s', (reason, h, value) => {
    expect(reasonOf(() => decodeOrderEvent(h, Buffer.from(value)))).toBe(reason);
  });
});

import { anOrderCreated, ORDER_EVENT_SCHEMAS } from '@fanout/contracts';
import * as cloudEvents from '../cloud-events';
import { cloudEventHeaders, PoisonRecordError } from '../cloud-events';
import type { ConsumedRecord } from './consumed-record';
import { EventDecoder } from './dispatch';

const TYPE = 'dev.fanout.order.created.v1';
const record = (value: string, type = TYPE): ConsumedRecord => ({
  topic: 'orders',
  partition: 0,
  offset: '7',
  key: undefined,
  headers: cloudEventHeaders({ id: 'event-1', type }, 'spec'),
  value: Buffer.from(value),
  timestamp: 0,
});

describe('EventDecoder', () => {
  const decoder = new EventDecoder(ORDER_EVENT_SCHEMAS);

  it('decodes each record once, however often it is asked', () => {
    const decode = jest.spyOn(cloudEvents, 'decodeEvent');
    try {
      const order = anOrderCreated();
      const valid = record(JSON.stringify(order));
      expect(decoder.decodes(valid)).toBe(true);
      expect(decoder.decode(valid)).toEqual({ type: TYPE, id: 'event-1', data: order });
      expect(decoder.decode(valid)).toBe(decoder.decode(valid));
      expect(decode).toHaveBeenCalledTimes(1);
    } finally {
      decode.mockRestore();
    }
  });

  it('keeps a record apart from another with the same content', () => {
    const [a, b] = [record(JSON.stringify(anOrderCreated())), record(JSON.stringify(anOrderCreated()))];
    expect(decoder.decode(a)).not.toEqual(decoder.decode(b));
  });

  it('throws the same poison error on every ask', () => {
    const poison = record('{ not json');
    expect(decoder.decodes(poison)).toBe(false);
    expect(() => decoder.decode(poison)).toThrow(PoisonRecordError);
    expect(() => decoder.decode(poison)).toThrow(/value is not JSON/);
  });
});

import { headersToStrings } from './record-headers';

describe('headersToStrings', () => {
  it('turns Buffers and strings into strings, keeps the first of repeated headers, and an absent value absent', () => {
    expect(
      headersToStrings({
        ce_type: Buffer.from('order.created'),
        traceparent: '00-abc-01',
        repeated: [Buffer.from('first'), Buffer.from('second')],
        gone: undefined,
      }),
    ).toEqual({ ce_type: 'order.created', traceparent: '00-abc-01', repeated: 'first', gone: undefined });
  });

  it('takes a null value (Kafka allows one) as absent', () => {
    expect(headersToStrings({ ce_type: 'order.created', empty: null as unknown as undefined })).toEqual({
      ce_type: 'order.created',
      empty: undefined,
    });
  });

  it('gives back headers that are all strings as they are: fetched records, which need no copy', () => {
    const fetched = { ce_type: 'order.created', traceparent: '00-abc-01' };
    expect(headersToStrings(fetched)).toBe(fetched);
  });

  it('gives an empty object for a record without headers', () => {
    expect(headersToStrings(undefined)).toEqual({});
  });
});

// kafkajs's own record encoder and varint writer, taken before the swap: the bytes to match.
/* eslint-disable @typescript-eslint/no-require-imports -- kafkajs internals, not in the package's types */
const kafkajsRecord = require('kafkajs/src/protocol/recordBatch/record/v0') as (input: RecordInput) => { buffer: Buffer };
const Encoder = require('kafkajs/src/protocol/encoder') as new () => { writeUVarInt(v: number): { buffer: Buffer } };
/* eslint-enable @typescript-eslint/no-require-imports */
const kafkajsWriteUVarInt = Encoder.prototype.writeUVarInt;

import { applyRecordEncoding, encodeRecord, type RecordInput } from './record-encoding';

const orderCreated: RecordInput = {
  offsetDelta: 3,
  timestampDelta: 17,
  key: 'b7e0c1f4-1a2b-4c3d-8e9f-0123456789ab',
  value: JSON.stringify({ orderId: 'b7e0c1f4-1a2b-4c3d-8e9f-0123456789ab', items: [{ sku: 'SKU-€', quantity: 2 }] }),
  headers: {
    ce_specversion: '1.0',
    ce_type: 'OrderCreated',
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    'x-bytes': Buffer.from([0, 255, 128]),
  },
};

describe('record encoding', () => {
  beforeAll(applyRecordEncoding);

  it.each<[string, RecordInput]>([
    ['an OrderCreated with CloudEvents headers', orderCreated],
    ['no key, no headers', { key: null, value: 'v' }],
    ['a tombstone (null value)', { key: 'k', value: null, headers: {} }],
    ['repeated header values', { key: 'k', value: 'v', headers: { h: ['a', 'b'], empty: '' } }],
    [
      'a large record (multi-byte varints)',
      { offsetDelta: 300, timestampDelta: 70_000, key: Buffer.alloc(200, 1), value: 'x'.repeat(100_000) },
    ],
    ['a string timestamp delta (kafkajs passes Long strings)', { timestampDelta: '1234567890123', key: 'k', value: 'v' }],
  ])('writes the same bytes as kafkajs for %s', (_name, input) => {
    expect(encodeRecord(input).buffer).toEqual(kafkajsRecord(input).buffer);
  });

  it('writes varints as kafkajs does, in place', () => {
    for (const value of [0, 1, 127, 128, 300, 16_383, 16_384, 2 ** 21, 2 ** 28, 2 ** 31, 2 ** 32 - 1]) {
      const ours = new Encoder().writeUVarInt(value).buffer;
      expect(ours).toEqual(kafkajsWriteUVarInt.call(new Encoder(), value).buffer);
    }
  });
});

// kafkajs's own record decoder, taken before the swap: the result to match.
/* eslint-disable @typescript-eslint/no-require-imports -- kafkajs internals, not in the package's types */
const kafkajsDecodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0/decoder') as (d: KafkaDecoder, c: BatchContext) => unknown;
const Decoder = require('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => KafkaDecoder;
/* eslint-enable @typescript-eslint/no-require-imports */

import { applyRecordDecoding, decodeRecord, type BatchContext, type KafkaDecoder } from './record-decoding';
import { encodeRecord, type RecordInput } from './record-encoding';

/** A record's body as kafkajs's batch decoder hands it to the record decoder (its length read). */
const body = (input: RecordInput) => new Decoder(encodeRecord(input).buffer).readVarIntBytes()!;

const cloudEvent: RecordInput = {
  offsetDelta: 7,
  timestampDelta: 12,
  key: 'b7e0c1f4-1a2b-4c3d-8e9f-0123456789ab',
  value: '{"orderId":"b7e0c1f4","sku":"SKU-€"}',
  headers: { ce_id: 'e-1', ce_type: 'OrderCreated', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
};
const batch: BatchContext = {
  firstOffset: '123456789',
  firstTimestamp: '1733300000000',
  magicByte: 2,
  timestampType: 0,
  maxTimestamp: '1733300000099',
};

type KafkajsValue = Buffer | null;
type KafkajsRecord = { headers: Record<string, KafkajsValue | KafkajsValue[]> };

/** kafkajs's record with each header value (Buffer, or null for length -1) as the string it holds. */
function withStringHeaders(record: KafkajsRecord) {
  const text = (value: KafkajsValue) => (value === null ? null : value.toString('utf8'));
  const headers = Object.fromEntries(
    Object.entries(record.headers).map(([name, value]) => [name, Array.isArray(value) ? value.map(text) : text(value)]),
  );
  return { ...record, headers };
}

describe('record decoding', () => {
  beforeAll(applyRecordDecoding);

  it.each<[string, RecordInput, BatchContext]>([
    ['a CloudEvents record', cloudEvent, batch],
    ['no key, no headers', { key: null, value: 'v' }, batch],
    ['a tombstone', { key: 'k', value: null }, batch],
    ['a repeated header (kafkajs makes an array)', { key: 'k', value: 'v', headers: { h: ['a', 'b', 'c'], one: 'x' } }, batch],
    ['a null header value (length -1)', { key: 'k', value: 'v', headers: { gone: null, one: 'x' } }, batch],
    ['a non-ASCII header value', { key: 'k', value: 'v', headers: { note: 'Grüße €' } }, batch],
    ['a negative timestamp delta', { key: 'k', value: 'v', timestampDelta: -5 }, batch],
    ['a huge timestamp delta (Long arithmetic)', { key: 'k', value: 'v', timestampDelta: '9007199254740993' }, batch],
    ['an offset beyond 2^53', cloudEvent, { ...batch, firstOffset: '9223372036854775000' }],
    ['log-append time', cloudEvent, { ...batch, timestampType: 1 }],
    ['no timestamp (-1)', cloudEvent, { ...batch, firstTimestamp: '-1' }],
    ['a control batch', cloudEvent, { ...batch, isControlBatch: true }],
  ])('decodes %s as kafkajs does, header values as strings', (_name, input, context) => {
    const ours = new Decoder(body(input));
    const theirs = new Decoder(body(input));
    expect(decodeRecord(ours, context)).toStrictEqual(withStringHeaders(kafkajsDecodeRecord(theirs, context) as KafkajsRecord));
    expect(ours.offset).toBe(theirs.offset);
  });

  it('reads strings as kafkajs does, and null for length -1', () => {
    const encoded = encodeRecord({ key: null, value: null, headers: { 'ключ-€': 'v' } }).buffer;
    const record = decodeRecord(new Decoder(new Decoder(encoded).readVarIntBytes()!), batch);
    expect(record.key).toBeNull();
    expect(Object.keys(record.headers)).toEqual(['ключ-€']);
  });
});

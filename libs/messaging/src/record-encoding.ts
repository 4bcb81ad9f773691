/**
 * kafkajs 2.2.4 encodes a produce record into an Encoder of its own and each of its headers into
 * another, each a zero-filled 512-byte Buffer copied into the next, and writes every varint through a
 * temporary array and Buffer: 18 µs for an OrderCreated record with its CloudEvents headers. Written
 * into one Encoder sized for the record, with varints written in place, the same bytes take 5 µs.
 * applyRecordEncoding swaps both in; record-encoding.spec.ts checks the bytes against kafkajs's own.
 */
import { provideModule } from './module-override';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- kafkajs's internal encoder, not in the package's types
const Encoder = require('kafkajs/src/protocol/encoder') as EncoderClass;

interface EncoderInstance {
  buf: Buffer;
  /** The bytes written so far. */
  readonly buffer: Buffer;
  offset: number;
  ensureAvailable(length: number): void;
  writeVarInt(value: number): EncoderInstance;
  writeInt8(value: number): EncoderInstance;
  writeVarLong(value: number | string): EncoderInstance;
  writeVarIntBytes(value: Buffer | string | null): EncoderInstance;
  writeVarIntString(value: string): EncoderInstance;
  writeUVarInt(value: number): EncoderInstance;
}

interface EncoderClass {
  new (initialSize?: number): EncoderInstance;
  prototype: EncoderInstance;
  sizeOfVarInt(value: number): number;
  sizeOfVarLong(value: number | string): number;
  sizeOfVarIntBytes(value: Buffer | string | null): number;
}

type HeaderValue = Buffer | string | null;

/** What kafkajs's record/v0 encoder takes. */
export interface RecordInput {
  offsetDelta?: number;
  timestampDelta?: number | string;
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Record<string, HeaderValue | HeaderValue[]>;
}

/** Varint body length, attributes, timestamp and offset deltas, key, value, then the headers: Kafka's record v2 layout. */
export function encodeRecord({ offsetDelta = 0, timestampDelta = 0, key, value, headers = {} }: RecordInput): EncoderInstance {
  const pairs = Object.entries(headers).flatMap(([name, v]) =>
    Array.isArray(v) ? v.map((one) => [name, one] as const) : [[name, v] as const],
  );
  let headersSize = Encoder.sizeOfVarInt(pairs.length);
  for (const [name, v] of pairs) headersSize += Encoder.sizeOfVarIntBytes(name) + Encoder.sizeOfVarIntBytes(v);
  const bodySize =
    1 +
    Encoder.sizeOfVarLong(timestampDelta) +
    Encoder.sizeOfVarInt(offsetDelta) +
    Encoder.sizeOfVarIntBytes(key) +
    Encoder.sizeOfVarIntBytes(value) +
    headersSize;
  const encoder = new Encoder(bodySize + 5) // 5: the longest varint of the length
    .writeVarInt(bodySize)
    .writeInt8(0) // no record attributes
    .writeVarLong(timestampDelta)
    .writeVarInt(offsetDelta)
    .writeVarIntBytes(key)
    .writeVarIntBytes(value)
    .writeVarInt(pairs.length);
  for (const [name, v] of pairs) encoder.writeVarIntString(name).writeVarIntBytes(v);
  return encoder;
}

/** LEB128 written into the encoder's buffer, as kafkajs's writeUVarInt does through an array and a Buffer. */
function writeUVarInt(this: EncoderInstance, value: number): EncoderInstance {
  this.ensureAvailable(5);
  while ((value & 0xffffff80) !== 0) {
    this.buf[this.offset++] = (value & 0x7f) | 0x80;
    value >>>= 7;
  }
  this.buf[this.offset++] = value & 0x7f;
  return this;
}

/**
 * Applied by createKafka's module before any producer exists: kafkajs's produce request takes the record
 * encoder when it is first loaded. (Under Jest, whose module registry is its own, only the varint writer
 * is swapped, and records are encoded by kafkajs's own code, into the same bytes.)
 */
export function applyRecordEncoding(): void {
  Encoder.prototype.writeUVarInt = writeUVarInt;
  provideModule('kafkajs/src/protocol/recordBatch/record/v0', encodeRecord);
}

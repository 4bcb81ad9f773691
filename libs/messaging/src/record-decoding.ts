/**
 * kafkajs 2.2.4 decodes each fetched record's headers by folding them into a fresh object per header
 * (`{ ...obj, [key]: value }`), reads each varlong through a BigInt-backed Long per byte, and adds the
 * record's offset and timestamp deltas to the batch's in Long arithmetic: in a backlog drain kafkajs made
 * a quarter to a third of what a consumer allocated, its record decoder the largest part. Same result here with plain numbers while the
 * values are safe integers (offsets and millisecond timestamps are), Long otherwise.
 *
 * Header values come out as UTF-8 strings, not Buffers (kafkajs's IHeaders allows both): every reader in
 * Fanout turned them into strings anyway, and a record's seven Buffer views were half of what a fetched
 * batch keeps alive while it is processed, which is what each young-generation collection copies.
 * applyRecordDecoding swaps it in; record-decoding.spec.ts compares the two on encoded records.
 */
import { provideModule } from './module-override';

/* eslint-disable @typescript-eslint/no-require-imports -- kafkajs internals, not in the package's types */
const Long = require('kafkajs/src/utils/long') as LongClass;
const Decoder = require('kafkajs/src/protocol/decoder') as { prototype: KafkaDecoder };
const { LOG_APPEND_TIME } = require('kafkajs/src/protocol/timestampTypes') as { LOG_APPEND_TIME: number };
/* eslint-enable @typescript-eslint/no-require-imports */

interface LongValue {
  add(addend: LongValue | number): LongValue;
  toString(): string;
}

interface LongClass {
  fromValue(value: string | number | undefined): LongValue;
}

export interface KafkaDecoder {
  buffer: Buffer;
  offset: number;
  readInt8(): number;
  readVarInt(): number;
  readVarLong(): LongValue;
  readVarIntBytes(): Buffer | null;
  readVarIntString(): string | null;
}

/** What kafkajs's record batch decoder passes to each record. */
export interface BatchContext {
  firstOffset?: string;
  firstTimestamp?: string;
  magicByte?: number;
  isControlBatch?: boolean;
  timestampType?: number;
  maxTimestamp?: string;
}

type Headers = Record<string, string | null | (string | null)[]>;

/** Attributes, timestamp delta, offset delta, key, value, headers: Kafka's record v2, as kafkajs returns it. */
export function decodeRecord(decoder: KafkaDecoder, batchContext: BatchContext = {}) {
  const { firstOffset, firstTimestamp, magicByte, isControlBatch = false, timestampType, maxTimestamp } = batchContext;
  const attributes = decoder.readInt8();
  const timestampDelta = readVarLong(decoder);
  const timestamp = timestampType === LOG_APPEND_TIME && maxTimestamp ? maxTimestamp : addToDecimal(firstTimestamp, timestampDelta);
  const offset = addToDecimal(firstOffset, decoder.readVarInt());
  const key = decoder.readVarIntBytes();
  const value = decoder.readVarIntBytes();
  const headers: Headers = {};
  const headerCount = decoder.readVarInt(); // -1: none
  for (let i = 0; i < headerCount; i++) {
    const name = decoder.readVarIntString()!;
    const headerValue = decoder.readVarIntString();
    const earlier = headers[name];
    headers[name] = earlier === undefined ? headerValue : Array.isArray(earlier) ? [...earlier, headerValue] : [earlier, headerValue];
  }
  return { magicByte, attributes, timestamp, offset, key, value, headers, isControlRecord: isControlBatch, batchContext };
}

/** A zigzag varlong as a number when it fits 49 bits (every delta within a batch), else kafkajs's Long. */
function readVarLong(decoder: KafkaDecoder): number | LongValue {
  const start = decoder.offset;
  let unsigned = 0;
  let scale = 1;
  let byte: number;
  do {
    if (scale > 2 ** 42) {
      decoder.offset = start;
      return decoder.readVarLong();
    }
    byte = decoder.buffer[decoder.offset++]!;
    unsigned += (byte & 0x7f) * scale;
    scale *= 128;
  } while (byte >= 0x80);
  return unsigned % 2 === 0 ? unsigned / 2 : -(unsigned + 1) / 2;
}

/** base + delta as a decimal string, as kafkajs's Long arithmetic writes it. */
function addToDecimal(base: string | undefined, delta: number | LongValue): string {
  if (typeof delta === 'number') {
    const start = Number(base);
    const sum = start + delta;
    if (Number.isSafeInteger(start) && Number.isSafeInteger(sum)) return String(sum);
  }
  return Long.fromValue(base).add(delta).toString();
}

/** A string read straight from the buffer, without the intermediate slice kafkajs makes. */
function readVarIntString(this: KafkaDecoder): string | null {
  const length = this.readVarInt();
  if (length === -1) return null;
  const value = this.buffer.toString('utf8', this.offset, this.offset + length);
  this.offset += length;
  return value;
}

/** Applied with the encoder swap, before any fetch: kafkajs's record batch decoder takes the record decoder when first loaded. */
export function applyRecordDecoding(): void {
  Decoder.prototype.readVarIntString = readVarIntString;
  provideModule('kafkajs/src/protocol/recordBatch/record/v0/decoder', decodeRecord);
}

import { ORIGIN_HEADERS, RETRY_HEADERS } from './delivery-headers';

/** One Kafka record as the consumer runtime hands it to policies and handlers. */
export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | undefined;
  headers: Record<string, string | undefined>;
  value: Buffer | null;
  /** Producer timestamp (ms since epoch). */
  timestamp: number;
}

/** Where a record first appeared: itself, unless it is a retry or a replay of another record. */
export interface RecordOrigin {
  topic: string;
  partition: number;
  offset: string;
}

export function originOf(record: ConsumedRecord): RecordOrigin {
  const h = record.headers;
  const topic = h[ORIGIN_HEADERS.topic];
  return topic
    ? { topic, partition: Number(h[ORIGIN_HEADERS.partition]), offset: h[ORIGIN_HEADERS.offset] ?? '-1' }
    : { topic: record.topic, partition: record.partition, offset: record.offset };
}

/** Which delivery of its event this record is: 1 from the source topic, n+1 after n failed ones. */
export function deliveryAttempt(record: ConsumedRecord): number {
  return Number(record.headers[RETRY_HEADERS.attempt] ?? 1);
}

/** Not to be handled before this time (ms since epoch): 0 unless the record waits on a retry topic. */
export function dueAt(record: ConsumedRecord): number {
  return Number(record.headers[RETRY_HEADERS.dueAt] ?? 0);
}

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

/** A step of record processing; policies wrap one around the next. */
export type RecordHandler = (record: ConsumedRecord) => Promise<void>;
export type RecordPolicy = (next: RecordHandler) => RecordHandler;

/** Composes policies outermost first: compose([a, b], h) = a(b(h)). */
export function compose(policies: RecordPolicy[], handler: RecordHandler): RecordHandler {
  return policies.reduceRight((next, policy) => policy(next), handler);
}

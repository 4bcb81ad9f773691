import type { ConsumedRecord } from './consumed-record';

/**
 * Records of one topic handled as one unit: from one partition or from several handed over together
 * (FetchMerger), each partition's records consecutive and in offset order. Every record passes the
 * pipeline in a batch: a single record is a batch of one.
 */
export type RecordBatch = readonly ConsumedRecord[];

/** Handles a batch: resolves once every record of it is done with (handled, retried elsewhere or dead-lettered). */
export type BatchHandler = (batch: RecordBatch) => Promise<void>;

/** One concern wrapped around the next handler (Watermill's middleware shape). */
export type BatchPolicy = (next: BatchHandler) => BatchHandler;

/** Composes policies outermost first: compose([a, b], h) = a(b(h)). */
export function compose(policies: readonly BatchPolicy[], handler: BatchHandler): BatchHandler {
  return policies.reduceRight((next, policy) => policy(next), handler);
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { Attributes } from '@opentelemetry/api';
import { CE_HEADERS, PoisonRecordError } from '../cloud-events';
import { measured } from '../messaging-metrics';
import { MESSAGING, traceProcess } from '../telemetry/kafka-spans';
import { BackpressureError } from './backpressure';
import { deliveryAttempt, originOf, type ConsumedRecord } from './consumed-record';
import type { ConsumerMetrics } from './consumer-metrics';
import type { EventDecoder } from './dispatch';
import type { BatchPolicy, RecordBatch } from './pipeline';
import type { Redelivery } from './redelivery';

/** Times and counts each batch once: the records handed over (consumed) and messaging.process.duration. */
export const measure =
  (consumerMetrics: ConsumerMetrics): BatchPolicy =>
  (next) =>
  (batch) =>
    measured(
      () => next(batch),
      (seconds, error_type) => consumerMetrics.batch(batch, seconds, error_type),
    );

/**
 * Poison never joins a batch: the batch is cut at each undecodable record, which passes on alone (and
 * fails there, to its dead-letter topic), so the records around it still go through in batches.
 */
export const splitAtPoison =
  (decoder: EventDecoder): BatchPolicy =>
  (next) =>
  async (batch) => {
    let run: ConsumedRecord[] = [];
    for (const record of batch) {
      if (decoder.decodes(record)) {
        run.push(record);
        continue;
      }
      if (run.length > 0) await next(run);
      await next([record]);
      run = [];
    }
    if (run.length > 0) await next(run);
  };

/**
 * A batch that fails is handled again one record at a time, so one bad record never fails the rest;
 * the policies inside then retry and redeliver that record alone. Backpressure is nobody's fault: it passes.
 */
export const isolate =
  (onSplit: (batch: RecordBatch, error: unknown) => void): BatchPolicy =>
  (next) =>
  async (batch) => {
    try {
      await next(batch);
    } catch (error) {
      if (batch.length === 1 || error instanceof BackpressureError) throw error;
      onSplit(batch, error);
      for (const record of batch) await next([record]);
    }
  };

/** The attributes of a record's `process <topic>` span. */
export function processAttributes(record: ConsumedRecord, groupId: string): Attributes {
  return {
    [MESSAGING.consumerGroup]: groupId,
    [MESSAGING.partition]: String(record.partition),
    [MESSAGING.offset]: Number(record.offset),
    'fanout.delivery.attempt': deliveryAttempt(record),
    ...(record.topic === originOf(record).topic ? {} : { 'fanout.delivery.topic': record.topic }),
    ...(record.key === undefined ? {} : { [MESSAGING.key]: record.key }),
    ...(record.headers[CE_HEADERS.id] === undefined ? {} : { [MESSAGING.messageId]: record.headers[CE_HEADERS.id] }),
  };
}

/** Runs the batch inside its records' `process <topic>` spans (sampled records only), children of their producers' spans. */
export const tracing =
  (groupId: string): BatchPolicy =>
  (next) =>
  (batch) =>
    traceProcess(
      batch,
      (record) => ({ topic: originOf(record).topic, attributes: processAttributes(record, groupId) }),
      () => next(batch),
    );

/**
 * A single record that still fails leaves its partition: to the group's retry topic, or to its
 * dead-letter topic once deliveries are used up (poison at once). A failed batch passes through, for
 * `isolate` to split; backpressure passes through, for the runtime to pause.
 */
export const redeliver =
  (redelivery: Redelivery, consumerMetrics: ConsumerMetrics): BatchPolicy =>
  (next) =>
  async (batch) => {
    try {
      await next(batch);
    } catch (error) {
      if (batch.length > 1 || error instanceof BackpressureError) throw error;
      consumerMetrics.redirected(batch[0]!, await redelivery.send(batch[0]!, error));
    }
  };

/** Counts the batch's records processed, and each one's time from the producer's send to now. */
export const countProcessed =
  (consumerMetrics: ConsumerMetrics): BatchPolicy =>
  (next) =>
  async (batch) => {
    await next(batch);
    consumerMetrics.processed(batch);
  };

export interface RetryOptions {
  attempts: number;
  initialBackoffMs: number;
}

/** Errors no amount of immediate retrying fixes: poison, and a downstream that asked us to back off. */
const notRetriable = (error: unknown) => error instanceof PoisonRecordError || error instanceof BackpressureError;

/** Retries a failing handler in place, briefly, with exponential backoff and jitter (transient faults). */
export const retry =
  ({ attempts, initialBackoffMs }: RetryOptions): BatchPolicy =>
  (next) =>
  async (batch) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await next(batch);
      } catch (error) {
        if (notRetriable(error) || attempt >= attempts) throw error;
        await sleep(initialBackoffMs * 2 ** (attempt - 1) * (0.5 + Math.random()));
      }
    }
  };

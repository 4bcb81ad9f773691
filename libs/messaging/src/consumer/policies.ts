import { setTimeout as sleep } from 'node:timers/promises';
import { CE_HEADERS, UndecodableEventError } from '@fanout/contracts';
import { MESSAGING, traceProcess, type Attributes } from '@fanout/tracing';
import type { ConsumerMetrics } from './consumer-metrics';
import { BackpressureError } from './backpressure';
import { deliveryAttempt, originOf, type ConsumedRecord, type RecordPolicy } from './consumed-record';
import type { Redelivery } from './redelivery';

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

/** Wraps processing in the `process <topic>` span, a child of the producer's span. */
export const tracing =
  (groupId: string): RecordPolicy =>
  (next) =>
  (record) =>
    traceProcess(originOf(record).topic, record.headers, processAttributes(record, groupId), () => next(record));

/** Counts records processed, and the time from the producer's send to the end of processing. */
export const metrics =
  (consumerMetrics: ConsumerMetrics): RecordPolicy =>
  (next) =>
  async (record) => {
    await next(record);
    consumerMetrics.processed(record);
  };

export interface RetryOptions {
  attempts: number;
  initialBackoffMs: number;
}

/** Errors no amount of immediate retrying fixes: poison, and a downstream that asked us to back off. */
const notRetriable = (error: unknown) => error instanceof UndecodableEventError || error instanceof BackpressureError;

/** Retries a failing handler in place, briefly, with exponential backoff and jitter (transient faults). */
export const retry =
  ({ attempts, initialBackoffMs }: RetryOptions): RecordPolicy =>
  (next) =>
  async (record) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await next(record);
      } catch (error) {
        if (notRetriable(error) || attempt >= attempts) throw error;
        await sleep(initialBackoffMs * 2 ** (attempt - 1) * (0.5 + Math.random()));
      }
    }
  };

/**
 * A record that still fails leaves its partition: to the group's retry topic, or to its dead-letter topic
 * once deliveries are used up (poison at once). Backpressure passes through: the runtime pauses instead.
 */
export const redeliver =
  (redelivery: Redelivery, consumerMetrics: ConsumerMetrics): RecordPolicy =>
  (next) =>
  async (record) => {
    try {
      await next(record);
    } catch (error) {
      if (error instanceof BackpressureError) throw error;
      const outcome = await redelivery.send(record, error);
      consumerMetrics.redirected(record, outcome);
    }
  };

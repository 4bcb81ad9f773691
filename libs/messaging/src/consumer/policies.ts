import { setTimeout as sleep } from 'node:timers/promises';
import { UndecodableEventError } from '@fanout/contracts';
import { MESSAGING, traceProcess } from '@fanout/tracing';
import type { ConsumerMetrics } from '../metrics';
import type { RecordPolicy } from './consumed-record';
import type { DeadLetterPublisher } from './dead-letter';

/** Wraps processing in the `<topic> process` span, a child of the producer's span. */
export const tracing =
  (groupId: string): RecordPolicy =>
  (next) =>
  (record) =>
    traceProcess(
      record.topic,
      record.headers,
      {
        [MESSAGING.consumerGroup]: groupId,
        [MESSAGING.partition]: String(record.partition),
        [MESSAGING.offset]: Number(record.offset),
        ...(record.key === undefined ? {} : { [MESSAGING.key]: record.key }),
      },
      () => next(record),
    );

/** Counts outcomes and the time from the producer's send to the end of processing. */
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

/** Retries a failing handler in place with exponential backoff and jitter; undecodable records are never retried. */
export const retry =
  ({ attempts, initialBackoffMs }: RetryOptions): RecordPolicy =>
  (next) =>
  async (record) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await next(record);
      } catch (error) {
        if (error instanceof UndecodableEventError || attempt >= attempts) throw new AttemptsExhausted(error, attempt);
        await sleep(initialBackoffMs * 2 ** (attempt - 1) * (0.5 + Math.random()));
      }
    }
  };

export class AttemptsExhausted extends Error {
  constructor(
    override readonly cause: unknown,
    readonly attempts: number,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'AttemptsExhausted';
  }
}

/** Sends a record that cannot succeed to the group's dead-letter topic, so it never blocks its partition. */
export const deadLetter =
  (dlq: DeadLetterPublisher, consumerMetrics: ConsumerMetrics): RecordPolicy =>
  (next) =>
  async (record) => {
    try {
      await next(record);
    } catch (error) {
      const exhausted = error instanceof AttemptsExhausted ? error : new AttemptsExhausted(error, 1);
      await dlq.send(record, exhausted.cause, exhausted.attempts);
      consumerMetrics.deadLettered(record);
    }
  };

import { Logger } from '@nestjs/common';
import type { Producer } from 'kafkajs';
import { PoisonRecordError } from '../cloud-events';
import { measured, messagingMetrics, SYSTEM } from '../messaging-metrics';
import { traceDecision, tracePublish } from '../telemetry/kafka-spans';
import { deadLetterTopic, retryTopic } from '../topic-names';
import { DEAD_LETTER_HEADERS, ORIGIN_HEADERS, RETRY_HEADERS } from './delivery-headers';
import { deliveryAttempt, originOf, type ConsumedRecord } from './consumed-record';

export interface RedeliveryOptions {
  /** Deliveries through the retry topic before a record is dead-lettered (1 = no retry topic). */
  maxDeliveries: number;
  /** Delay before the 2nd delivery; doubled for each later one, with ±50 % jitter. */
  backoffMs: number;
}

/** Why a record was dead-lettered: the decoder's reason for poison, else the handler kept failing. */
export function deadLetterReason(error: unknown): string {
  return error instanceof PoisonRecordError ? error.reason : 'handler-failed';
}

/** The wait before delivery `attempt` (≥ 2): exponential, with jitter so retries of a burst spread out. */
export function retryDelayMs(attempt: number, backoffMs: number, random = Math.random): number {
  return Math.round(backoffMs * 2 ** (attempt - 2) * (0.5 + random()));
}

/**
 * Moves a failed record out of its partition's way: to the group's retry topic while deliveries remain,
 * else to the group's dead-letter topic. Either hop keeps key, value, headers and origin, and is traced.
 */
export class Redelivery {
  private readonly log: Logger;
  private readonly metrics = messagingMetrics();

  constructor(
    private readonly producer: Producer,
    private readonly groupId: string,
    private readonly options: RedeliveryOptions,
  ) {
    this.log = new Logger(`Redelivery:${groupId}`);
  }

  /** Where the record went: 'retry' or 'dead-letter'. */
  async send(record: ConsumedRecord, error: unknown): Promise<'retry' | 'dead-letter'> {
    const origin = originOf(record);
    const attempt = deliveryAttempt(record);
    const poison = error instanceof PoisonRecordError;
    const base = {
      ...definedOnly(record.headers),
      [ORIGIN_HEADERS.topic]: origin.topic,
      [ORIGIN_HEADERS.partition]: String(origin.partition),
      [ORIGIN_HEADERS.offset]: origin.offset,
    };
    if (!poison && attempt < this.options.maxDeliveries) {
      const dueAt = Date.now() + retryDelayMs(attempt + 1, this.options.backoffMs);
      await this.publish(retryTopic(origin.topic, this.groupId), record, {
        ...base,
        [RETRY_HEADERS.attempt]: String(attempt + 1),
        [RETRY_HEADERS.dueAt]: String(dueAt),
      });
      this.log.warn(`${describe(origin)} failed delivery ${attempt}, retried from the retry topic: ${messageOf(error)}`);
      return 'retry';
    }
    await this.publish(deadLetterTopic(origin.topic, this.groupId), record, {
      ...base,
      [DEAD_LETTER_HEADERS.reason]: deadLetterReason(error),
      [DEAD_LETTER_HEADERS.error]: messageOf(error).slice(0, 1_000),
      [DEAD_LETTER_HEADERS.group]: this.groupId,
      [DEAD_LETTER_HEADERS.attempts]: String(attempt), // deliveries, each with its in-place attempts
      [DEAD_LETTER_HEADERS.failedAt]: new Date().toISOString(),
    });
    // Logged inside the record's process span: the line carries its trace_id.
    this.log.warn(`${describe(origin)} dead-lettered (${deadLetterReason(error)}) after ${attempt} deliveries: ${messageOf(error)}`);
    return 'dead-letter';
  }

  /** A hop of a sampled record is a `send` span in its trace; an unsampled one keeps its traceparent and stays untraced. */
  private async publish(topic: string, record: ConsumedRecord, headers: Record<string, string>): Promise<void> {
    const send = (traceHeaders: Record<string, string>) =>
      this.producer.send({
        topic,
        acks: -1,
        messages: [{ key: record.key ?? null, value: record.value, headers: { ...headers, ...traceHeaders } }],
      });
    await measured(
      () => (traceDecision(record.headers) === 'unsampled' ? send({}) : tracePublish(topic, {}, send)),
      (_seconds, error_type) => this.metrics.sent.inc({ ...SYSTEM, messaging_destination_name: topic, error_type }),
    );
  }
}

const describe = (origin: { topic: string; partition: number; offset: string }) => `${origin.topic}[${origin.partition}]@${origin.offset}`;
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

function definedOnly(headers: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter((e): e is [string, string] => e[1] !== undefined));
}

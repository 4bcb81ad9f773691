import type { Producer } from 'kafkajs';
import { DEAD_LETTER_HEADERS, deadLetterTopic, UndecodableEventError } from '@fanout/contracts';
import { tracePublish } from '@fanout/tracing';
import type { ConsumedRecord } from './consumed-record';

/** Why a record was dead-lettered: the decoder's reason for poison, else the handler failed. */
export function deadLetterReason(error: unknown): string {
  return error instanceof UndecodableEventError ? error.reason : 'handler-failed';
}

/** Publishes failed records, with their original key, value and headers, to `<topic>.dlq.<group>`. */
export class DeadLetterPublisher {
  constructor(
    private readonly producer: Producer,
    private readonly groupId: string,
  ) {}

  async send(record: ConsumedRecord, error: unknown, attempts: number): Promise<void> {
    const topic = deadLetterTopic(record.topic, this.groupId);
    await tracePublish(topic, {}, (traceHeaders) =>
      this.producer.send({
        topic,
        acks: -1,
        messages: [
          {
            key: record.key ?? null,
            value: record.value,
            headers: {
              ...definedOnly(record.headers),
              ...traceHeaders,
              [DEAD_LETTER_HEADERS.reason]: deadLetterReason(error),
              [DEAD_LETTER_HEADERS.error]: (error instanceof Error ? error.message : String(error)).slice(0, 1_000),
              [DEAD_LETTER_HEADERS.topic]: record.topic,
              [DEAD_LETTER_HEADERS.partition]: String(record.partition),
              [DEAD_LETTER_HEADERS.offset]: record.offset,
              [DEAD_LETTER_HEADERS.group]: this.groupId,
              [DEAD_LETTER_HEADERS.attempts]: String(attempts),
              [DEAD_LETTER_HEADERS.failedAt]: new Date().toISOString(),
            },
          },
        ],
      }),
    );
  }
}

function definedOnly(headers: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter((e): e is [string, string] => e[1] !== undefined));
}

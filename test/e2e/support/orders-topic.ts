import { randomUUID } from 'node:crypto';
import { CONSUMER_GROUP_IDS, ORDER_EVENT_SCHEMAS, ORDERS_TOPIC } from '@fanout/contracts';
import {
  CE_HEADERS,
  decodeEvent,
  headersToStrings,
  PoisonRecordError,
  retryTopic,
  topicEndOffsets,
  uncommittedOffsets,
} from '@fanout/messaging';
import type { KafkaMessage } from 'kafkajs';
import { testKafka } from './env';
import { eventually } from './eventually';

export interface OrdersRecord {
  key: string;
  /** The CloudEvents id: a record published again carries the same one. */
  id: string;
  type: string;
  /** What is wrong with the record by the event contract its consumers hold it to; undefined when nothing is. */
  contractProblem?: string;
}

/** Why the consumers would dead-letter this record (their own decoder says), or undefined if they would not. */
function contractProblem(message: KafkaMessage): string | undefined {
  try {
    decodeEvent(ORDER_EVENT_SCHEMAS, headersToStrings(message.headers), message.value);
    return undefined;
  } catch (error) {
    if (error instanceof PoisonRecordError) return error.message;
    throw error;
  }
}

/** Where `orders` ends now, per partition: pass it to readOrdersTopic later to read what came since. */
export const ordersTopicEnd = (): Promise<Map<number, bigint>> => topicEndOffsets(testKafka(), ORDERS_TOPIC);

/**
 * Waits until no consumer group has a record of `orders` or of its retry topic left to commit (lag as
 * kafka-consumer-groups counts it): no order of an earlier spec is still on its way to a count, so a
 * spec's "before" is not overtaken by it.
 */
export async function ordersSettled(): Promise<void> {
  const consumed = CONSUMER_GROUP_IDS.flatMap((group) =>
    [ORDERS_TOPIC, retryTopic(ORDERS_TOPIC, group)].map((topic) => ({ group, topic })),
  );
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const behind = async () => {
      const lags = await Promise.all(consumed.map(({ group, topic }) => uncommittedOffsets(admin, group, topic)));
      return consumed.flatMap(({ group, topic }, i) =>
        [...lags[i]!].filter(([, { lag }]) => lag > 0).map(([partition]) => `${group} ${topic}[${partition}]`),
      );
    };
    await eventually('every group committing what orders holds', behind, (left) => left.length === 0);
  } finally {
    await admin.disconnect();
  }
}

/** Every record of `orders` from `since` (default: the beginning) up to the topic's current end. */
export async function readOrdersTopic(since = new Map<number, bigint>()): Promise<OrdersRecord[]> {
  const kafka = testKafka();
  const end = await ordersTopicEnd();
  const remaining = new Map([...end].filter(([partition, offset]) => offset > (since.get(partition) ?? 0n)));
  const records: OrdersRecord[] = [];
  const reader = kafka.consumer({ groupId: `e2e-reader-${randomUUID()}` });
  await reader.connect();
  try {
    await reader.subscribe({ topic: ORDERS_TOPIC, fromBeginning: true });
    await reader.run({
      eachMessage: async ({ partition, message }) => {
        const offset = BigInt(message.offset);
        if (offset >= (since.get(partition) ?? 0n) && offset < (end.get(partition) ?? 0n)) {
          records.push({
            key: message.key?.toString() ?? '',
            id: String(message.headers?.[CE_HEADERS.id]),
            type: String(message.headers?.[CE_HEADERS.type]),
            contractProblem: contractProblem(message),
          });
        }
        if (offset + 1n >= (end.get(partition) ?? 0n)) remaining.delete(partition);
      },
    });
    await eventually(
      'reading orders to its end',
      async () => remaining.size,
      (n) => n === 0,
      { timeoutMs: 60_000 },
    );
  } finally {
    await reader.disconnect();
  }
  return records;
}

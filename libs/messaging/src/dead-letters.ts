import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { groupCommittedOffsets, topicEndOffsets } from './admin';
import { DEAD_LETTER_HEADERS, ORIGIN_HEADERS, RETRY_HEADERS } from './consumer/delivery-headers';
import { headersToStrings } from './record-headers';
import { deadLetterTopic, retryTopic } from './topic-names';
import { KeyPartitioner } from './key-partitioner';

export interface DeadLetter {
  partition: number;
  offset: string;
  key: string | undefined;
  reason: string | undefined;
  error: string | undefined;
  origin: string;
  attempts: string | undefined;
  failedAt: string | undefined;
}

/** The replay cursor of a group's dead letters: a consumer group of its own, so nothing is replayed twice. */
export const replayGroupId = (groupId: string): string => `dlq-replay.${groupId}`;

/**
 * Lists a group's dead letters not yet replayed and, unless `dryRun`, re-publishes each to the group's
 * retry topic — the group's own input, so other groups see nothing — as a fresh first delivery.
 */
export async function replayDeadLetters(
  kafka: Kafka,
  sourceTopic: string,
  groupId: string,
  { dryRun }: { dryRun: boolean },
): Promise<DeadLetter[]> {
  const dlq = deadLetterTopic(sourceTopic, groupId);
  const end = await topicEndOffsets(kafka, dlq);
  // Where the last replay stopped: a dry run lists only what a replay would send now.
  const replayed = await groupCommittedOffsets(kafka, replayGroupId(groupId), dlq);
  const from = (partition: number) => replayed.get(partition) ?? -1n;
  const consumer = kafka.consumer({ groupId: dryRun ? `${replayGroupId(groupId)}.dry-run.${randomUUID()}` : replayGroupId(groupId) });
  const producer = kafka.producer({ createPartitioner: KeyPartitioner });
  const letters: DeadLetter[] = [];
  await Promise.all([consumer.connect(), producer.connect()]);
  try {
    const caughtUp = new Set<number>([...end].filter(([partition, high]) => high === 0n || from(partition) >= high).map(([p]) => p));
    let done: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (done = resolve));
    if (caughtUp.size === end.size) done();
    const replayedUpTo = new Map<number, bigint>();
    await consumer.subscribe({ topic: dlq, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        if (BigInt(message.offset) >= (end.get(partition) ?? 0n)) return;
        if (BigInt(message.offset) + 1n >= (end.get(partition) ?? 0n)) caughtUp.add(partition);
        if (BigInt(message.offset) < from(partition)) {
          if (caughtUp.size === end.size) done();
          return; // replayed before
        }
        letters.push(describe(partition, message));
        if (!dryRun) await producer.send({ topic: retryTopic(sourceTopic, groupId), acks: -1, messages: [asFreshDelivery(message)] });
        replayedUpTo.set(partition, BigInt(message.offset) + 1n);
        if (caughtUp.size === end.size) done();
      },
    });
    await finished;
    // Committed explicitly before leaving: an auto-commit still pending at disconnect would be lost, and the next replay would repeat letters.
    if (!dryRun && replayedUpTo.size > 0) {
      await consumer.commitOffsets([...replayedUpTo].map(([partition, offset]) => ({ topic: dlq, partition, offset: String(offset) })));
    }
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
  }
  return letters.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}

function describe(partition: number, message: KafkaMessage): DeadLetter {
  const h = headersToStrings(message.headers);
  return {
    partition,
    offset: message.offset,
    key: message.key?.toString(),
    reason: h[DEAD_LETTER_HEADERS.reason],
    error: h[DEAD_LETTER_HEADERS.error],
    origin: `${h[ORIGIN_HEADERS.topic]}[${h[ORIGIN_HEADERS.partition]}]@${h[ORIGIN_HEADERS.offset]}`,
    attempts: h[DEAD_LETTER_HEADERS.attempts],
    failedAt: h[DEAD_LETTER_HEADERS.failedAt],
  };
}

/** The dead letter's record minus its dead-letter and retry headers: origin and trace context stay. */
function asFreshDelivery(message: KafkaMessage) {
  const dropped = new Set<string>([...Object.values(DEAD_LETTER_HEADERS), ...Object.values(RETRY_HEADERS)]);
  const headers = Object.fromEntries(
    Object.entries(headersToStrings(message.headers)).filter((e): e is [string, string] => e[1] !== undefined && !dropped.has(e[0])),
  );
  return { key: message.key, value: message.value, headers };
}

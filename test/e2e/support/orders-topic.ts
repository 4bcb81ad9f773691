import { randomUUID } from 'node:crypto';
import { ORDERS_TOPIC } from '@fanout/contracts';
import { CE_HEADERS, topicEndOffsets } from '@fanout/messaging';
import { testKafka } from './env';
import { eventually } from './eventually';

export interface OrdersRecord {
  key: string;
  type: string;
}

/** Where `orders` ends now, per partition: pass it to readOrdersTopic later to read what came since. */
export const ordersTopicEnd = (): Promise<Map<number, bigint>> => topicEndOffsets(testKafka(), ORDERS_TOPIC);

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
          records.push({ key: message.key?.toString() ?? '', type: String(message.headers?.[CE_HEADERS.type]) });
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

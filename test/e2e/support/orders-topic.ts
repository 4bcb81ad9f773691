import { randomUUID } from 'node:crypto';
import { ORDER_EVENT_SCHEMAS, ORDERS_TOPIC, type OrderEventType } from '@fanout/contracts';
import { CE_HEADERS, topicEndOffsets } from '@fanout/messaging';
import { testKafka } from './env';
import { eventually } from './eventually';

export interface OrdersRecord {
  key: string;
  type: string;
  /** What is wrong with the record by the event contract its consumers hold it to; undefined when nothing is. */
  contractProblem?: string;
}

function contractProblem(type: string, value: Buffer | null): string | undefined {
  const schema = ORDER_EVENT_SCHEMAS[type as OrderEventType];
  if (!schema) return `unknown event type ${type}`;
  try {
    const result = schema.safeParse(JSON.parse(value?.toString('utf8') ?? ''));
    return result.success ? undefined : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  } catch (error) {
    return `not JSON: ${(error as Error).message}`;
  }
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
          const type = String(message.headers?.[CE_HEADERS.type]);
          records.push({ key: message.key?.toString() ?? '', type, contractProblem: contractProblem(type, message.value) });
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

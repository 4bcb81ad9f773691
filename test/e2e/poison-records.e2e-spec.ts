import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { anOrderCreated, CONSUMER_GROUPS, ORDER_CREATED, ORDERS_TOPIC } from '@fanout/contracts';
import { Partitioners } from 'kafkajs';
import { OrderViewStore } from '@fanout/order-view';
import {
  CE_HEADERS,
  cloudEventHeaders,
  DEAD_LETTER_HEADERS,
  deadLetterTopic,
  headersToStrings,
  ORIGIN_HEADERS,
  replayDeadLetters,
} from '@fanout/messaging';
import { redisUrl, testKafka } from './support/env';
import { eventually } from './support/eventually';
import { fetchTrace } from './support/jaeger';
import { serviceLogLines } from './support/logs';

const PARTITION = 3;

function validEvent(): { orderId: string; message: { partition: number; key: string; value: string; headers: Record<string, string> } } {
  const data = anOrderCreated({ customerId: 'after-the-poison', items: [{ sku: 'SKU-1', quantity: 1, unitPrice: '1.00' }], total: '1.00' });
  const orderId = data.orderId;
  return {
    orderId,
    message: {
      partition: PARTITION,
      key: orderId,
      value: JSON.stringify(data),
      headers: cloudEventHeaders({ id: randomUUID(), type: ORDER_CREATED }, '/e2e'),
    },
  };
}

/** Poison never blocks a partition: it goes to each group's dead-letter topic with the reason, and what follows is processed. */
describe('poison records', () => {
  const kafka = testKafka();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  const redis = new Redis(redisUrl);

  beforeAll(() => producer.connect());
  afterAll(async () => {
    await producer.disconnect();
    redis.disconnect();
  });

  it('dead-letters raw bytes and schema violations per group and processes the next record on the partition', async () => {
    const poisonKey = `poison-${randomUUID()}`;
    const after = validEvent();
    const { baseOffset } = (
      await producer.send({
        topic: ORDERS_TOPIC,
        acks: -1,
        messages: [
          {
            partition: PARTITION,
            key: poisonKey,
            value: Buffer.from([0xde, 0xad, 0xbe, 0xef]),
            headers: { [CE_HEADERS.type]: ORDER_CREATED },
          },
          {
            partition: PARTITION,
            key: poisonKey,
            value: JSON.stringify({ schemaVersion: 1, orderId: 'not-a-uuid' }),
            headers: { [CE_HEADERS.type]: ORDER_CREATED },
          },
          after.message,
        ],
      })
    )[0]!;

    // The record after the poison is processed by every group (here: visible in the read model).
    await eventually(
      'the order after the poison in Redis',
      () => redis.get(OrderViewStore.key(after.orderId)),
      (v) => v !== null,
      { timeoutMs: 20_000 },
    );

    for (const group of Object.values(CONSUMER_GROUPS)) {
      const letters = await eventually(
        `two dead letters of group ${group}`,
        async () => (await replayDeadLetters(kafka, ORDERS_TOPIC, group, { dryRun: true })).filter((l) => l.key === poisonKey),
        (found) => found.length === 2,
        { timeoutMs: 20_000 },
      );
      expect(letters.map((l) => l.reason)).toEqual(['invalid-json', 'schema-violation']);
      expect(letters.map((l) => l.origin)).toEqual([
        `orders[${PARTITION}]@${baseOffset}`,
        `orders[${PARTITION}]@${BigInt(baseOffset!) + 1n}`,
      ]);
      expect(letters[1]!.error).toMatch(/orderId/);
    }

    // The raw record on the DLQ keeps its bytes and carries the group.
    const consumer = kafka.consumer({ groupId: `e2e-dlq-reader-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic: deadLetterTopic(ORDERS_TOPIC, CONSUMER_GROUPS.analytics), fromBeginning: true });
    const raw = await new Promise<{ value: Buffer | null; headers: Record<string, string | undefined> }>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          if (message.key?.toString() === poisonKey) resolve({ value: message.value, headers: headersToStrings(message.headers) });
        },
      });
    });
    await consumer.disconnect();
    expect(raw.value).toEqual(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    expect(raw.headers[DEAD_LETTER_HEADERS.group]).toBe(CONSUMER_GROUPS.analytics);
    expect(raw.headers[ORIGIN_HEADERS.partition]).toBe(String(PARTITION));

    // The dead-letter hop is logged (JSON, with the trace id) and traced under the consumer's process span.
    const origin = `orders[${PARTITION}]@${baseOffset}`;
    const line = await eventually(
      `analytics' log line for dead-lettering ${origin}`,
      async () => serviceLogLines('analytics-service').find((l) => String(l.msg).startsWith(`${origin} dead-lettered (invalid-json)`)),
      (found) => found !== undefined,
      { timeoutMs: 10_000 },
    );
    expect(line).toMatchObject({ level: 40, service: 'analytics-service', trace_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
    const trace = await eventually('the trace named by the log line', () => fetchTrace(String(line!.trace_id)), Boolean, {
      timeoutMs: 20_000,
      intervalMs: 500,
    });
    expect(trace!.spans.map((s) => s.operationName)).toEqual(expect.arrayContaining(['process orders', 'send orders.dlq.analytics']));
    expect(trace!.spans.map((s) => s.spanID)).toContain(line!.span_id);
  });
});

import type { EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { register } from 'prom-client';
import { anOrderCreated, CE_HEADERS, deadLetterTopic, ORDER_CREATED, retryTopic } from '@fanout/contracts';
import type { EventBatchItem } from './event-batch';
import { KafkaConsumerServer, type ConsumerServerOptions } from './kafka-consumer-server';

// Unit level: kafkajs is replaced by fakes; the e2e suite runs the same runtime on a real broker.
const order = (n: number) => anOrderCreated({ orderId: `7f1a0d4e-3c1b-4a8e-9b9e-2f6d8c1e5a1${n}` });
const message = (offset: number, value: string): KafkaMessage => ({
  offset: String(offset),
  key: Buffer.from(`k${offset}`),
  value: Buffer.from(value),
  timestamp: String(Date.now()),
  attributes: 0,
  headers: { [CE_HEADERS.type]: ORDER_CREATED, [CE_HEADERS.id]: `e${offset}` },
});
const valid = (offset: number) => message(offset, JSON.stringify(order(offset)));
const poison = (offset: number) => message(offset, '{"not":"an order"}');

function serverOptions(kafka: Kafka, groupId: string): ConsumerServerOptions {
  return {
    kafka,
    groupId,
    partitionConcurrency: 1,
    maxBatchRecords: 100,
    retry: { attempts: 1, initialBackoffMs: 0 },
    redelivery: { maxDeliveries: 4, backoffMs: 0 },
    shutdownTimeoutMs: 1_000,
    stallTimeoutMs: 60_000,
    instanceId: `${groupId}-1`,
    lagIntervalMs: 60_000,
  };
}

function setUp(handler: (items: EventBatchItem[]) => Promise<unknown>) {
  const sent: { topic: string }[] = [];
  const kafka = {
    consumer: () => ({ events: {}, on: () => undefined }),
    admin: () => ({}),
    producer: () => ({ send: async (r: { topic: string }) => void sent.push(r) }),
  } as unknown as Kafka;
  const server = new KafkaConsumerServer(serverOptions(kafka, 'g'));
  const calls: string[][] = [];
  server.addHandler(
    'orders',
    async (items: EventBatchItem[]) => {
      calls.push(items.map((i) => i.origin.offset));
      return handler(items);
    },
    true,
    { batch: true },
  );
  const resolved: string[] = [];
  const run = (messages: KafkaMessage[]) =>
    (server as unknown as { processBatch(p: EachBatchPayload): Promise<void> }).processBatch({
      batch: { topic: 'orders', partition: 0, messages },
      resolveOffset: (offset: string) => void resolved.push(offset),
      heartbeat: async () => undefined,
      commitOffsetsIfNecessary: async () => undefined,
      isRunning: () => true,
      isStale: () => false,
      pause: () => () => undefined,
    } as unknown as EachBatchPayload);
  return { run, calls, resolved, sent };
}

describe('KafkaConsumerServer batches', () => {
  beforeEach(() => register.clear());

  it('hands consecutive decodable records to a batch handler in one call, in offset order', async () => {
    const { run, calls, resolved } = setUp(async () => undefined);
    await run([valid(0), valid(1), valid(2)]);
    expect(calls).toEqual([['0', '1', '2']]);
    expect(resolved).toEqual(['0', '1', '2']);
  });

  it('splits runs at an undecodable record, which goes to the dead-letter topic alone', async () => {
    const { run, calls, resolved, sent } = setUp(async () => undefined);
    await run([valid(0), valid(1), poison(2), valid(3), valid(4)]);
    expect(calls).toEqual([
      ['0', '1'],
      ['3', '4'],
    ]);
    expect(resolved).toEqual(['0', '1', '2', '3', '4']);
    expect(sent.map((r) => r.topic)).toEqual([deadLetterTopic('orders', 'g')]);
  });

  it('retries a failed batch one record at a time, so only the failing record leaves the partition', async () => {
    const { run, calls, resolved, sent } = setUp(async (items) => {
      if (items.some((i) => i.origin.offset === '1')) throw new Error('record 1 cannot be applied');
    });
    await run([valid(0), valid(1), valid(2)]);
    expect(calls).toEqual([['0', '1', '2'], ['0'], ['1'], ['2']]);
    expect(resolved).toEqual(['0', '1', '2']);
    expect(sent.map((r) => r.topic)).toEqual([retryTopic('orders', 'g')]);
  });

  it('counts the duplicates a handler reports as absorbed', async () => {
    const { run } = setUp(async (items) => ({ duplicates: items.length - 1 }));
    await run([valid(0), valid(1), valid(2)]);
    const metric = await register.getSingleMetric('fanout_consumer_duplicates_total')!.get();
    expect(metric.values).toEqual([expect.objectContaining({ labels: { group: 'g' }, value: 2 })]);
  });

  it('fails at start-up, not per record, when no handler is registered for the group', async () => {
    const kafka = { consumer: () => ({ events: {}, on: () => undefined }), producer: () => ({}), admin: () => ({}) } as unknown as Kafka;
    const server = new KafkaConsumerServer(serverOptions(kafka, 'unhandled'));
    const error = await new Promise<unknown>((resolve) => server.listen(resolve));
    expect(error).toEqual(new Error('consumer group "unhandled" has no @EventPattern handler: nothing to consume'));
  });
});

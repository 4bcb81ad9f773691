import type { EachBatchPayload, Kafka, KafkaMessage, TopicPartitionOffset } from 'kafkajs';
import { register } from 'prom-client';
import { z } from 'zod';
import { CE_HEADERS } from '../cloud-events';
import { deadLetterTopic, retryTopic } from '../topic-names';
import type { EventBatchItem } from './event-batch';
import { KafkaConsumerServer, type ConsumerServerOptions } from './kafka-consumer-server';

// Unit level: kafkajs is replaced by fakes; the e2e suite runs the same runtime on a real broker.
const events = { 'test.counted.v1': z.object({ n: z.number() }) };
const message = (offset: number, value: string): KafkaMessage => ({
  offset: String(offset),
  key: Buffer.from(`k${offset}`),
  value: Buffer.from(value),
  timestamp: String(Date.now()),
  attributes: 0,
  headers: { [CE_HEADERS.type]: 'test.counted.v1', [CE_HEADERS.id]: `e${offset}` },
});
const valid = (offset: number) => message(offset, JSON.stringify({ n: offset }));
const poison = (offset: number) => message(offset, '{"not":"a count"}');

function serverOptions(kafka: Kafka, groupId: string): ConsumerServerOptions<{ 'test.counted.v1': { n: number } }> {
  return {
    kafka,
    groupId,
    events,
    partitionConcurrency: 1,
    maxBatchRecords: 100,
    fetch: { minBytes: 1, maxWaitMs: 100 },
    retry: { attempts: 1, initialBackoffMs: 0 },
    redelivery: { maxDeliveries: 4, backoffMs: 0 },
    commitIntervalMs: 60_000,
    shutdownTimeoutMs: 1_000,
    stallTimeoutMs: 60_000,
    instanceId: `${groupId}-1`,
    lagIntervalMs: 60_000,
  };
}

function setUp(handler: (payload: unknown) => Promise<unknown>, { batch = true } = {}) {
  const sent: { topic: string }[] = [];
  const kafka = {
    consumer: () => ({ events: {}, on: () => undefined, commitOffsets: async () => undefined }),
    admin: () => ({}),
    producer: () => ({ send: async (r: { topic: string }) => void sent.push(r) }),
  } as unknown as Kafka;
  const server = new KafkaConsumerServer(serverOptions(kafka, 'g'));
  const calls: unknown[] = [];
  server.addHandler(
    'orders',
    async (payload: unknown) => {
      calls.push(batch ? (payload as EventBatchItem[]).map((i) => i.origin.offset) : (payload as { id: string }).id);
      return handler(payload);
    },
    true,
    { batch },
  );
  (server as unknown as { handlers: Map<string, unknown> }).handlers.set('orders', server.getHandlerByPattern('orders'));
  const resolved: string[] = [];
  const committed: TopicPartitionOffset[][] = [];
  let running = true;
  const run = (messages: KafkaMessage[], partition = 0) =>
    (server as unknown as { moveBatch(p: EachBatchPayload): Promise<void> }).moveBatch({
      batch: { topic: 'orders', partition, messages },
      resolveOffset: (offset: string) => void resolved.push(partition === 0 ? offset : `${partition}@${offset}`),
      heartbeat: async () => undefined,
      commitOffsetsIfNecessary: async ({ topics }: { topics: { topic: string; partitions: { partition: number; offset: string }[] }[] }) =>
        void committed.push(topics.flatMap(({ topic, partitions }) => partitions.map((p) => ({ topic, ...p })))),
      isRunning: () => running,
      isStale: () => false,
      pause: () => () => undefined,
    } as unknown as EachBatchPayload);
  const stop = () => (running = false);
  return { run, calls, resolved, sent, committed, stop };
}

describe('KafkaConsumerServer', () => {
  beforeEach(() => register.clear());

  it('hands consecutive decodable records to a batch handler in one call, in offset order', async () => {
    const { run, calls, resolved } = setUp(async () => undefined);
    await run([valid(0), valid(1), valid(2)]);
    expect(calls).toEqual([['0', '1', '2']]);
    expect(resolved).toEqual(['2']);
  });

  it("joins the batches partitions of one fetch hand over together into one call, each partition's in order", async () => {
    const { run, calls, resolved } = setUp(async () => undefined);
    await Promise.all([run([valid(0), valid(1)], 0), run([valid(7)], 4)]);
    expect(calls).toEqual([['0', '1', '7']]);
    expect(resolved.sort()).toEqual(['1', '4@7']);
    const processed = await register.getSingleMetric('fanout_consumer_records_total')!.get();
    expect(processed.values.map((v) => [v.labels.partition, v.value])).toEqual([
      ['0', 2],
      ['4', 1],
    ]);
  });

  it('gives a single-event handler batches of one, through the same pipeline', async () => {
    const { run, calls, resolved, sent } = setUp(async () => undefined, { batch: false });
    await run([valid(0), poison(1), valid(2)]);
    expect(calls).toEqual(['e0', 'e2']);
    expect(resolved).toEqual(['0', '1', '2']);
    expect(sent.map((r) => r.topic)).toEqual([deadLetterTopic('orders', 'g')]);
  });

  it('splits batches at an undecodable record, which goes to the dead-letter topic alone', async () => {
    const { run, calls, resolved, sent } = setUp(async () => undefined);
    await run([valid(0), valid(1), poison(2), valid(3), valid(4)]);
    expect(calls).toEqual([
      ['0', '1'],
      ['3', '4'],
    ]);
    expect(resolved).toEqual(['4']);
    expect(sent.map((r) => r.topic)).toEqual([deadLetterTopic('orders', 'g')]);
  });

  it('dead-letters a record whose type header is null (Kafka allows one) and goes on with the partition', async () => {
    const { run, calls, resolved, sent } = setUp(async () => undefined);
    const nullType = valid(1);
    nullType.headers = { [CE_HEADERS.type]: null as unknown as string };
    await run([valid(0), nullType, valid(2)]);
    expect(calls).toEqual([['0'], ['2']]);
    expect(resolved).toEqual(['2']);
    expect(sent.map((r) => r.topic)).toEqual([deadLetterTopic('orders', 'g')]);
  });

  it('retries a failed batch one record at a time, so only the failing record leaves the partition', async () => {
    const { run, calls, resolved, sent } = setUp(async (items) => {
      if ((items as EventBatchItem[]).some((i) => i.origin.offset === '1')) throw new Error('record 1 cannot be applied');
    });
    await run([valid(0), valid(1), valid(2)]);
    expect(calls).toEqual([['0', '1', '2'], ['0'], ['1'], ['2']]);
    expect(resolved).toEqual(['2']);
    expect(sent.map((r) => r.topic)).toEqual([retryTopic('orders', 'g')]);
  });

  it('counts the duplicates a handler reports as absorbed, and the batch once', async () => {
    const { run } = setUp(async (items) => ({ duplicates: (items as unknown[]).length - 1 }));
    await run([valid(0), valid(1), valid(2)]);
    const duplicates = await register.getSingleMetric('fanout_consumer_duplicates_total')!.get();
    expect(duplicates.values).toEqual([expect.objectContaining({ labels: { group: 'g' }, value: 2 })]);
    const processed = await register.getSingleMetric('fanout_consumer_records_total')!.get();
    expect(processed.values).toEqual([expect.objectContaining({ labels: expect.objectContaining({ outcome: 'processed' }), value: 3 })]);
  });

  it('commits on its interval, not after every batch, and commits what is done when it stops', async () => {
    const { run, committed, stop } = setUp(async () => undefined);
    await run([valid(0), valid(1)]);
    await run([valid(2)]);
    expect(committed).toEqual([]); // the 60 s interval has not passed
    stop();
    await run([valid(3)]); // a stopping consumer processes no more of its batch
    expect(committed).toEqual([[{ topic: 'orders', partition: 0, offset: '3' }]]); // the next offset to read
  });

  it('fails at start-up, not per record, when no handler is registered for the group', async () => {
    const kafka = { consumer: () => ({ events: {}, on: () => undefined }), producer: () => ({}), admin: () => ({}) } as unknown as Kafka;
    const server = new KafkaConsumerServer(serverOptions(kafka, 'unhandled'));
    const error = await new Promise<unknown>((resolve) => server.listen(resolve));
    expect(error).toEqual(new Error('consumer group "unhandled" has no @EventPattern handler: nothing to consume'));
  });
});

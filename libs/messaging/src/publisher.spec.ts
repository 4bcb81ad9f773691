import { Registry } from 'prom-client';
import type { Kafka, ProducerBatch, RecordMetadata } from 'kafkajs';
import { EventPublisher, PublishTimeoutError } from './publisher';

/** What a broker answers for a send: one entry per partition it wrote (minus those `unanswered` names). */
const answer = (batch: ProducerBatch, unanswered: number[] = []): RecordMetadata[] =>
  (batch.topicMessages ?? []).flatMap(({ topic, messages }) =>
    [...new Set(messages.map((m) => m.partition!))]
      .filter((partition) => !unanswered.includes(partition))
      .map((partition) => ({ topicName: topic, partition, errorCode: 0 })),
  );

/** A producer that records its requests (unit level: the fault drills run the real thing). */
function recordingKafka(unanswered: number[] = []) {
  const requests: ProducerBatch[] = [];
  const producer = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    sendBatch: async (batch: ProducerBatch) => {
      requests.push(batch);
      return answer(batch, unanswered);
    },
  };
  const admin = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    fetchTopicMetadata: async () => ({
      topics: [{ name: 'orders', partitions: Array.from({ length: 6 }, (_, i) => ({ partitionId: i })) }],
    }),
  };
  return { kafka: { producer: () => producer, admin: () => admin } as unknown as Kafka, requests };
}

describe('EventPublisher', () => {
  const options = { source: '/test', timeoutMs: 5_000, lingerMs: 5, maxBatchSize: 100, maxPending: 1_000 };
  const publishAll = (publisher: EventPublisher, count: number) =>
    Promise.allSettled(
      Array.from({ length: count }, (_, i) => publisher.publish({ topic: 'orders', key: `order-${i}`, type: 't', data: { i } })),
    );

  it('sends a flush of many partitions in one call, each key on its partition, acks=all', async () => {
    const { kafka, requests } = recordingKafka();
    const outcomes = await publishAll(new EventPublisher(kafka, options, new Registry()), 40);
    expect(outcomes.every((o) => o.status === 'fulfilled')).toBe(true);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.acks).toBe(-1);
    const sent = requests[0]!.topicMessages!.flatMap((t) => t.messages);
    expect(new Set(sent.map((m) => m.partition)).size).toBeGreaterThan(1);
    expect(sent.map((m) => m.key).sort()).toEqual(Array.from({ length: 40 }, (_, i) => `order-${i}`).sort());
  });

  it("fails the whole flush when Kafka's answer leaves out a partition it carried (kafkajs's leader-move bug)", async () => {
    const { kafka } = recordingKafka([3]);
    const outcomes = await publishAll(new EventPublisher(kafka, options, new Registry()), 40);
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason))).toEqual(
      Array.from({ length: 40 }, () => "PublishFailedError: Kafka's answer did not acknowledge orders/3"),
    );
  });
});

describe('EventPublisher when Kafka does not answer', () => {
  it('fails the publish with PublishTimeoutError after timeoutMs, and never sends one that was still waiting', async () => {
    const requests: ProducerBatch[] = [];
    let answerNow!: () => void;
    const hung = new Promise<void>((resolve) => (answerNow = resolve));
    const producer = {
      connect: async () => undefined,
      disconnect: async () => undefined,
      sendBatch: async (batch: ProducerBatch) => {
        requests.push(batch);
        await hung;
        return answer(batch);
      },
    };
    const kafka = { producer: () => producer, admin: recordingKafka().kafka.admin } as unknown as Kafka;
    const publisher = new EventPublisher(
      kafka,
      { source: '/test', timeoutMs: 50, lingerMs: 1, maxBatchSize: 1, maxPending: 10 },
      new Registry(),
    );

    const sent = publisher.publish({ topic: 'orders', key: 'a', type: 't', data: {} });
    const waiting = publisher.publish({ topic: 'orders', key: 'b', type: 't', data: {} }); // behind the hung send
    await expect(sent).rejects.toThrow(PublishTimeoutError);
    await expect(waiting).rejects.toThrow('Kafka did not acknowledge the record within 50 ms');
    answerNow();
    await publisher.disconnect();
    expect(requests.flatMap((r) => r.topicMessages!.flatMap((t) => t.messages.map((m) => m.key)))).toEqual(['a']);
  });
});

describe('EventPublisher after a failed send', () => {
  it('publishes the next batch from a new producer, so no sequence number is reused for other records', async () => {
    const producers: { sends: number }[] = [];
    let failNext = true;
    const kafka = {
      producer: () => {
        const state = { sends: 0 };
        producers.push(state);
        return {
          connect: async () => undefined,
          disconnect: async () => undefined,
          sendBatch: async (batch: ProducerBatch) => {
            state.sends += 1;
            if (failNext) {
              failNext = false;
              throw new Error('Request Produce timed out');
            }
            return answer(batch);
          },
        };
      },
      admin: recordingKafka().kafka.admin,
    } as unknown as Kafka;
    const publisher = new EventPublisher(
      kafka,
      { source: '/test', timeoutMs: 5_000, lingerMs: 1, maxBatchSize: 1, maxPending: 10 },
      new Registry(),
    );

    await expect(publisher.publish({ topic: 'orders', key: 'a', type: 't', data: {} })).rejects.toThrow('timed out');
    await publisher.publish({ topic: 'orders', key: 'b', type: 't', data: {} });
    await publisher.publish({ topic: 'orders', key: 'c', type: 't', data: {} });

    expect(producers.map((p) => p.sends)).toEqual([1, 2]);
  });

  it('lets a process run several publishers on one registry, their queues summed in one gauge', async () => {
    const registry = new Registry();
    const kafka = { producer: () => ({ connect: async () => undefined }) } as unknown as Kafka;
    const options = { source: '/test', timeoutMs: 5_000, lingerMs: 1, maxBatchSize: 1, maxPending: 10 };
    expect(() => [new EventPublisher(kafka, options, registry), new EventPublisher(kafka, options, registry)]).not.toThrow();
    expect((await registry.getSingleMetric('fanout_publisher_pending')!.get()).values).toEqual([expect.objectContaining({ value: 0 })]);
  });
});

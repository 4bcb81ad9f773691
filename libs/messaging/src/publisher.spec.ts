import { Registry } from 'prom-client';
import type { Kafka, ProducerRecord } from 'kafkajs';
import { EventPublisher } from './publisher';

/** A producer that records its requests (unit level: the fault drills run the real thing). */
function recordingKafka() {
  const requests: ProducerRecord[] = [];
  const producer = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    send: async (record: ProducerRecord) => {
      requests.push(record);
      return [];
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
  it('sends each partition of a batch in a request of its own, keys on their partition, acks=all', async () => {
    const { kafka, requests } = recordingKafka();
    const publisher = new EventPublisher(
      kafka,
      { source: '/test', timeoutMs: 5_000, lingerMs: 5, maxBatchSize: 100, maxPending: 1_000 },
      new Registry(),
    );
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => publisher.publish({ topic: 'orders', key: `order-${i}`, type: 't', data: { i } })),
    );
    expect(requests.length).toBeGreaterThan(1);
    for (const request of requests) {
      expect(request.acks).toBe(-1);
      expect(new Set(request.messages.map((m) => m.partition)).size).toBe(1);
    }
    const sent = requests.flatMap((r) => r.messages);
    expect(sent.map((m) => m.key).sort()).toEqual(Array.from({ length: 40 }, (_, i) => `order-${i}`).sort());
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
          send: async () => {
            state.sends += 1;
            if (failNext) {
              failNext = false;
              throw new Error('Request Produce timed out');
            }
            return [];
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

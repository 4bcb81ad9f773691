import type { Kafka, ProducerBatch, RecordMetadata } from 'kafkajs';
import { EventPublisher, PublishFailedError } from './publisher';

/** A producer that, like kafkajs 2.2.4 after a leader move, leaves some partitions out of its answer. */
function kafkaDroppingPartitions(dropOnCall: (call: number, partition: number) => boolean) {
  const requests: ProducerBatch[] = [];
  const producer = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    sendBatch: async (batch: ProducerBatch): Promise<RecordMetadata[]> => {
      requests.push(batch);
      const partitions = new Set(batch.topicMessages!.flatMap((t) => t.messages.map((m) => m.partition!)));
      return [...partitions]
        .filter((partition) => !dropOnCall(requests.length, partition))
        .map((partition) => ({ topicName: 'orders', partition, errorCode: 0, baseOffset: '0' }));
    },
  };
  const admin = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    fetchTopicMetadata: async () => ({ topics: [{ name: 'orders', partitions: Array.from({ length: 6 }, (_, i) => ({ partitionId: i })) }] }),
  };
  return { kafka: { producer: () => producer, admin: () => admin } as unknown as Kafka, requests };
}

const options = { source: '/test', timeoutMs: 5_000, lingerMs: 1, maxBatchSize: 100, maxPending: 1_000 };
const publishMany = (publisher: EventPublisher, n: number) =>
  Promise.all(Array.from({ length: n }, (_, i) => publisher.publish({ topic: 'orders', key: `order-${i}`, type: 't', data: { i } })));

describe('EventPublisher acknowledgements', () => {
  it('sends again exactly the records of a partition the broker answer left out', async () => {
    const { kafka, requests } = kafkaDroppingPartitions((call, partition) => call === 1 && partition === 3);
    await publishMany(new EventPublisher(kafka, options), 40);
    expect(requests).toHaveLength(2);
    const resent = requests[1]!.topicMessages!.flatMap((t) => t.messages);
    expect(resent.length).toBeGreaterThan(0);
    expect(resent.every((m) => m.partition === 3)).toBe(true);
    const firstForThree = requests[0]!.topicMessages!.flatMap((t) => t.messages).filter((m) => m.partition === 3);
    expect(resent.map((m) => m.key)).toEqual(firstForThree.map((m) => m.key));
  });

  it('fails the publish when a partition is never acknowledged', async () => {
    const { kafka, requests } = kafkaDroppingPartitions((_, partition) => partition === 3);
    await expect(publishMany(new EventPublisher(kafka, options), 40)).rejects.toBeInstanceOf(PublishFailedError);
    expect(requests).toHaveLength(3);
  });
});

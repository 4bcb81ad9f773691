import { randomUUID } from 'node:crypto';
import { CE_HEADERS, ensureTopics, EventPublisher, PublishFailedError, topicEndOffsets } from '@fanout/messaging';
import { testKafka } from './support/env';
import { eventually } from './support/eventually';
import { lostResponses } from './support/lost-responses';

/**
 * A publish that failed without knowing whether the broker wrote it must not make a later,
 * acknowledged publish vanish. kafkajs rolls a partition's sequence number back when a send fails;
 * if the broker did write that batch, the next batch of the same size under the same producer id
 * looks like its retry, and the broker acknowledges it without writing it (the Kafka-away drill
 * lost 3 acknowledged orders this way).
 */
describe('publishing after an ambiguous failure', () => {
  const topic = `publisher-ambiguity-${randomUUID()}`;
  const network = lostResponses();
  const kafka = testKafka({
    socketFactory: network.socketFactory,
    requestTimeout: 1_000,
    retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 300 },
  });
  const publisher = new EventPublisher(kafka, { source: '/e2e', timeoutMs: 60_000, lingerMs: 1, maxBatchSize: 1, maxPending: 10 });
  const publish = (name: string) => publisher.publish({ topic, key: 'one-key', type: 'dev.fanout.test.v1', data: { name } });

  beforeAll(async () => {
    await ensureTopics(kafka, [{ topic, numPartitions: 1, replicationFactor: 1 }]);
    await publisher.connect();
  });
  afterAll(() => publisher.disconnect());

  it('writes every acknowledged record, also the first one after a send whose answer was lost', async () => {
    const warmUp = await publish('warm-up');

    network.drop();
    await expect(publish('answer-lost')).rejects.toBeInstanceOf(PublishFailedError);
    network.restore();

    const afterwards = await publish('afterwards');

    const written = await recordIds(topic);
    // Both acknowledged records are in the log…
    expect(written).toEqual(expect.arrayContaining([warmUp, afterwards]));
    // …and so is the one whose answer was lost: the failure was ambiguous, as in a real outage.
    expect(written).toHaveLength(3);
  });

  /** The CloudEvents ids of every record of the topic, read over a connection that loses nothing. */
  async function recordIds(name: string): Promise<string[]> {
    const direct = testKafka();
    const end = Number((await topicEndOffsets(direct, name)).get(0));
    const reader = direct.consumer({ groupId: `reader-${randomUUID()}` });
    const ids: string[] = [];
    await reader.connect();
    try {
      await reader.subscribe({ topic: name, fromBeginning: true });
      await reader.run({ eachMessage: async ({ message }) => void ids.push(String(message.headers?.[CE_HEADERS.id])) });
      await eventually(
        `reading all ${end} records of ${name}`,
        async () => ids.length,
        (n) => n >= end,
        { timeoutMs: 20_000 },
      );
    } finally {
      await reader.disconnect();
    }
    return ids;
  }
});

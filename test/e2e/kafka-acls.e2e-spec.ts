import { randomUUID } from 'node:crypto';
import { CONSUMER_GROUPS, ORDERS_TOPIC } from '@fanout/contracts';
import { kafkaBootstrap, kafkaCredentials } from '@fanout/local-stack';
import { createKafka, deadLetterTopic, logLevel, type Kafka } from '@fanout/messaging';
import { settings } from './support/env';

/** A client of the stack's Kafka logged in as `principal` (its real credentials unless `password` is given). */
function kafkaAs(principal: string, password?: string): Kafka {
  const credentials = { ...kafkaCredentials(settings, principal), ...(password ? { password } : {}) };
  return createKafka(
    { brokers: kafkaBootstrap(settings).split(','), clientId: `e2e-as-${principal}`, credentials },
    { logLevel: logLevel.NOTHING },
  );
}

/** Starts a consumer in `groupId` and resolves with the error type it crashed with (bounded: 30 s). */
async function consumerCrash(kafka: Kafka, groupId: string): Promise<string> {
  const consumer = kafka.consumer({ groupId, retry: { retries: 0 } });
  try {
    const crashed = new Promise<string>((resolve) =>
      consumer.on(consumer.events.CRASH, ({ payload }) => resolve((payload.error as { type?: string }).type ?? payload.error.message)),
    );
    await consumer.connect();
    await consumer.subscribe({ topic: ORDERS_TOPIC });
    await consumer.run({ eachMessage: async () => undefined });
    const timeout = new Promise<string>((_, reject) =>
      setTimeout(() => reject(new Error(`${groupId}: the consumer ran, no denial within 30 s`)), 30_000).unref(),
    );
    return await Promise.race([crashed, timeout]);
  } finally {
    await consumer.disconnect();
  }
}

/** Each principal does what its ACLs allow and nothing else: the broker, not the client, says no. */
describe('Kafka principals and ACLs', () => {
  it("refuses a consumer that joins another service's group with its own credentials", async () => {
    expect(await consumerCrash(kafkaAs('analytics-service'), CONSUMER_GROUPS.notification)).toBe('GROUP_AUTHORIZATION_FAILED');
  });

  it("refuses order-service's principal reading orders as a group", async () => {
    expect(await consumerCrash(kafkaAs('order-service'), `snoop-${randomUUID()}`)).toMatch(/^(GROUP|TOPIC)_AUTHORIZATION_FAILED$/);
  });

  it('lets a principal read its own group, not another', async () => {
    const admin = kafkaAs('analytics-service').admin();
    await admin.connect();
    try {
      await expect(admin.fetchOffsets({ groupId: CONSUMER_GROUPS.analytics, topics: [ORDERS_TOPIC] })).resolves.toHaveLength(1);
      // (kafkajs's admin reports this refusal only as "No brokers in the broker pool"; the consumer test above pins the reason.)
      await expect(admin.fetchOffsets({ groupId: CONSUMER_GROUPS.notification, topics: [ORDERS_TOPIC] })).rejects.toThrow();
    } finally {
      await admin.disconnect();
    }
  });

  it("refuses a write to orders or to another group's dead-letter topic", async () => {
    const producer = kafkaAs('analytics-service').producer({ retry: { retries: 0 } });
    await producer.connect();
    try {
      const write = (topic: string) => producer.send({ topic, acks: -1, messages: [{ key: 'acl-check', value: 'not an event' }] });
      await expect(write(deadLetterTopic(ORDERS_TOPIC, CONSUMER_GROUPS.notification))).rejects.toThrow('Topic authorization failed');
      await expect(write(ORDERS_TOPIC)).rejects.toThrow('Topic authorization failed');
    } finally {
      await producer.disconnect();
    }
  });

  it('refuses a wrong password at the handshake', async () => {
    const admin = kafkaAs('order-service', 'not-the-password').admin();
    await expect(admin.connect()).rejects.toThrow(/SASL SCRAM SHA512 authentication failed|Authentication failed/i);
  });
});

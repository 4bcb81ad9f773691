import { randomUUID } from 'node:crypto';
import { Partitioners, type Kafka, type Message, type PartitionMetadata, type Producer } from 'kafkajs';
import { partitionCount } from './admin';
import { CE_HEADERS, CLOUDEVENTS_SPEC_VERSION } from '@fanout/contracts';
import { MESSAGING, tracePublish } from '@fanout/tracing';
import { Batcher, type BatcherOptions } from './batcher';

export interface OutgoingEvent {
  topic: string;
  /** Partition key: events of one key stay in order on one partition. */
  key: string;
  /** CloudEvents type, e.g. "dev.fanout.order.created.v1". */
  type: string;
  data: unknown;
  id?: string;
}

export interface PublisherOptions extends BatcherOptions {
  /** CloudEvents source of every event this process publishes, e.g. "/order-service". */
  source: string;
  /** A publish not acknowledged within this time fails (the record may still land later). */
  timeoutMs: number;
}

/** Every way a publish can fail: callers answer 503 and the client may retry. */
export class PublishFailedError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PublishFailedError';
  }
}

export class PublishTimeoutError extends PublishFailedError {
  constructor(ms: number) {
    super(`Kafka did not acknowledge the record within ${ms} ms`);
    this.name = 'PublishTimeoutError';
  }
}

interface Outgoing {
  topic: string;
  message: Message;
}

type Partitioner = ReturnType<typeof Partitioners.DefaultPartitioner>;

/** Requests per flush before a partition that is never acknowledged fails the publish. */
const MAX_SEND_ATTEMPTS = 3;

/**
 * Publishes events as CloudEvents (binary mode) with acks=all from an idempotent producer.
 * publish() resolves only once the replicated log acknowledged the record.
 */
export class EventPublisher {
  private readonly producer: Producer;
  private readonly batcher: Batcher<Outgoing>;
  private readonly partitioner: Partitioner = Partitioners.DefaultPartitioner();
  private readonly partitionsByTopic = new Map<string, PartitionMetadata[]>();

  constructor(
    private readonly kafka: Kafka,
    private readonly options: PublisherOptions,
  ) {
    // One request in flight keeps the idempotent producer's ordering (kafkajs#1005); batching gives the throughput.
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner, // murmur2, as Java clients: same key → same partition
    });
    this.batcher = new Batcher((batch) => this.send(batch), options);
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  /** Resolves with the event id once Kafka acknowledged the record (acks=all). */
  publish(event: OutgoingEvent): Promise<string> {
    const id = event.id ?? randomUUID();
    const attributes = { [MESSAGING.key]: event.key, [MESSAGING.messageId]: id };
    return tracePublish(event.topic, attributes, async (traceHeaders) => {
      const message: Message = {
        key: event.key,
        // The record's timestamp is the moment of publish, so fan-out latency includes batching and the ack wait.
        timestamp: String(Date.now()),
        value: JSON.stringify(event.data),
        headers: {
          [CE_HEADERS.id]: id,
          [CE_HEADERS.type]: event.type,
          [CE_HEADERS.source]: this.options.source,
          [CE_HEADERS.specversion]: CLOUDEVENTS_SPEC_VERSION,
          [CE_HEADERS.time]: new Date().toISOString(),
          [CE_HEADERS.contentType]: 'application/json',
          ...traceHeaders,
        },
      };
      try {
        await withTimeout(this.batcher.enqueue({ topic: event.topic, message }), this.options.timeoutMs);
      } catch (error) {
        if (error instanceof PublishFailedError) throw error;
        throw new PublishFailedError(`publishing to ${event.topic} failed: ${(error as Error).message}`, { cause: error });
      }
      return id;
    });
  }

  /**
   * One request per flush (kafkajs splits it per leader broker), then a check that every partition
   * was acknowledged. Why the check: when a partition's leader moves to a broker that already
   * acknowledged its own share of the same request, kafkajs 2.2.4's retry skips that broker and
   * reports success for records it never wrote — the fault drill "stopping one broker" lost 3 of
   * 2,000 acknowledged orders that way. Such a partition is missing from the returned metadata, so
   * its records are sent again (same idempotent-producer sequence: never written twice).
   */
  private async send(batch: Outgoing[]): Promise<void> {
    const byPartition = new Map<string, { topic: string; partition: number; messages: Message[] }>();
    for (const { topic, message } of batch) {
      const partition = this.partitioner({ topic, message, partitionMetadata: await this.partitionMetadata(topic) });
      const entry = byPartition.get(`${topic}/${partition}`) ?? { topic, partition, messages: [] };
      entry.messages.push({ ...message, partition });
      byPartition.set(`${topic}/${partition}`, entry);
    }
    let unacknowledged = [...byPartition.values()];
    for (let attempt = 1; unacknowledged.length > 0; attempt++) {
      if (attempt > MAX_SEND_ATTEMPTS) {
        throw new PublishFailedError(`partitions ${unacknowledged.map((p) => `${p.topic}[${p.partition}]`).join(', ')} were not acknowledged`);
      }
      const topicMessages = new Map<string, Message[]>();
      for (const { topic, messages } of unacknowledged) topicMessages.set(topic, [...(topicMessages.get(topic) ?? []), ...messages]);
      const acknowledged = await this.producer.sendBatch({
        acks: -1,
        topicMessages: [...topicMessages].map(([topic, messages]) => ({ topic, messages })),
      });
      const acked = new Set(acknowledged.map((r) => `${r.topicName}/${r.partition}`));
      unacknowledged = unacknowledged.filter((p) => !acked.has(`${p.topic}/${p.partition}`));
    }
  }

  /** The topic's partitions as the partitioner expects them (fetched once per topic); keyed records only need the count. */
  private async partitionMetadata(topic: string): Promise<PartitionMetadata[]> {
    let metadata = this.partitionsByTopic.get(topic);
    if (!metadata) {
      const count = await partitionCount(this.kafka, topic);
      if (count === 0) throw new Error(`topic ${topic} has no partitions (does it exist?)`);
      metadata = Array.from({ length: count }, (_, partitionId) => ({ partitionId, leader: -1, replicas: [], isr: [], partitionErrorCode: 0 }));
      this.partitionsByTopic.set(topic, metadata);
    }
    return metadata;
  }

}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PublishTimeoutError(ms)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

import { randomUUID } from 'node:crypto';
import type { Kafka, Message, PartitionMetadata, Producer } from 'kafkajs';
import { partitionCount } from './admin';
import { Gauge, Histogram, register, type Registry } from 'prom-client';
import { Batcher, BatcherTimeoutError, type BatcherOptions } from './batcher';
import { cloudEventHeaders } from './cloud-events';
import type { EventMap } from './events';
import { measured, messagingMetrics, registered, SYSTEM, type MessagingMetrics } from './messaging-metrics';
import { MESSAGING, tracePublish } from './telemetry/kafka-spans';
import { KeyPartitioner } from './key-partitioner';

export interface OutgoingEvent<Events extends EventMap = EventMap, T extends keyof Events & string = keyof Events & string> {
  topic: string;
  /** Partition key: events of one key stay in order on one partition. */
  key: string;
  /** CloudEvents type, e.g. "dev.fanout.order.created.v1": it decides the payload's shape. */
  type: T;
  data: Events[T];
  id?: string;
}

export interface PublisherOptions extends BatcherOptions {
  /** CloudEvents source of every event this process publishes, e.g. "/order-service". */
  source: string;
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

type Partitioner = ReturnType<typeof KeyPartitioner>;

/**
 * Publishes events as CloudEvents (binary mode) with acks=all from an idempotent producer.
 * publish() resolves only once the replicated log acknowledged the record.
 */
export class EventPublisher<Events extends EventMap = EventMap> {
  private producer: Producer;
  /** Set when a send failed: the producer's sequence numbers may no longer match the broker's. */
  private producerSuspect = false;
  private readonly batcher: Batcher<Outgoing>;
  private readonly partitioner: Partitioner = KeyPartitioner();
  private readonly partitionsByTopic = new Map<string, PartitionMetadata[]>();

  private readonly metrics: MessagingMetrics;
  private readonly batchSize: Histogram;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: PublisherOptions,
    registry: Registry = register,
  ) {
    this.producer = this.createProducer();
    this.batcher = new Batcher((batch) => this.send(batch), options);
    this.metrics = messagingMetrics(registry);
    this.batchSize = publisherMetrics(registry, this.batcher);
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  /** Lets the last batch flush (every publish settles), then leaves Kafka. */
  async disconnect(): Promise<void> {
    await this.batcher.idle();
    await this.producer.disconnect();
  }

  /** Nest calls this on shutdown, after the HTTP server stopped taking requests. */
  onApplicationShutdown(): Promise<void> {
    return this.disconnect();
  }

  /**
   * Resolves with the event id once Kafka acknowledged the record (acks=all). Fails with
   * PublishTimeoutError after `timeoutMs`: a record still waiting for its batch then is never sent, one in
   * a send still in flight may land later.
   */
  publish<T extends keyof Events & string>(event: OutgoingEvent<Events, T>): Promise<string> {
    const id = event.id ?? randomUUID();
    const attributes = { [MESSAGING.key]: event.key, [MESSAGING.messageId]: id };
    return tracePublish(event.topic, attributes, async (traceHeaders) => {
      const message: Message = {
        key: event.key,
        // The record's timestamp is the moment of publish, so fan-out latency includes batching and the ack wait.
        timestamp: String(Date.now()),
        value: JSON.stringify(event.data),
        headers: { ...cloudEventHeaders({ id, type: event.type }, this.options.source), ...traceHeaders },
      };
      try {
        await this.batcher.enqueue({ topic: event.topic, message });
      } catch (error) {
        if (error instanceof PublishFailedError) throw error;
        if (error instanceof BatcherTimeoutError) throw new PublishTimeoutError(error.timeoutMs);
        throw new PublishFailedError(`publishing to ${event.topic} failed: ${(error as Error).message}`, { cause: error });
      }
      return id;
    });
  }

  /** One send per flush: kafkajs makes it one produce request per leader broker. */
  private send(batch: Outgoing[]): Promise<void> {
    return measured(
      () => this.sendAll(batch),
      (seconds, error_type) => this.recordSend(batch, seconds, error_type),
    );
  }

  /** messaging.client.sent.messages per topic and messaging.client.operation.duration per flush, with error.type on failure. */
  private recordSend(batch: Outgoing[], seconds: number, error_type: string): void {
    const byTopic = new Map<string, number>();
    for (const { topic } of batch) byTopic.set(topic, (byTopic.get(topic) ?? 0) + 1);
    for (const [topic, count] of byTopic) {
      const labels = { ...SYSTEM, messaging_destination_name: topic, error_type };
      this.metrics.sent.inc(labels, count);
      this.metrics.operationDuration.observe({ ...labels, messaging_operation_name: 'send' }, seconds);
    }
    this.batchSize.observe(batch.length);
  }

  /**
   * Sends the flush in one call and checks that Kafka's answer names every partition it carried.
   * kafkajs 2.2.4 tracks a multi-broker send's answers per broker: when a partition's leader moves,
   * mid-send, to a broker that already answered for its own partitions, the retry skips that partition
   * and reports success without it (the broker-stop drill lost acknowledged orders that way; kafkajs
   * PR #1798, never released). Such a partition is missing from the answer, so the flush fails as a
   * whole: its publishes answer 503 (the client retries with its Idempotency-Key), and the producer is
   * replaced, as after any failed send.
   */
  private async sendAll(batch: Outgoing[]): Promise<void> {
    if (this.producerSuspect) await this.replaceProducer();
    const byTopic = new Map<string, Message[]>();
    const carried = new Set<string>(); // topic/partition of every record in the flush
    for (const { topic, message } of batch) {
      const partition = this.partitioner({ topic, message, partitionMetadata: await this.partitionMetadata(topic) });
      const messages = byTopic.get(topic) ?? [];
      messages.push({ ...message, partition });
      byTopic.set(topic, messages);
      carried.add(`${topic}/${partition}`);
    }
    try {
      const topicMessages = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
      const answered = new Set((await this.producer.sendBatch({ acks: -1, topicMessages })).map((r) => `${r.topicName}/${r.partition}`));
      const unanswered = [...carried].filter((tp) => !answered.has(tp));
      if (unanswered.length > 0) throw new PublishFailedError(`Kafka's answer did not acknowledge ${unanswered.join(', ')}`);
    } catch (error) {
      this.producerSuspect = true;
      throw error;
    }
  }

  /**
   * A failed send may still have been written (its answer was lost, or came too late). kafkajs then
   * rolls that partition's sequence number back, so the next batch of the same size would carry the
   * same numbers under the same producer id, and the broker would acknowledge it as a retry of the
   * written one without writing it: an acknowledged record lost (the Kafka-away drill, and
   * test/e2e/publisher-ambiguous-failure). A new producer id starts fresh sequences. While Kafka is
   * away the new producer cannot register, so the batch fails (503) and the next one tries again.
   */
  private async replaceProducer(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
    const fresh = this.createProducer();
    try {
      await fresh.connect();
    } catch (error) {
      await fresh.disconnect().catch(() => undefined);
      throw error;
    }
    this.producer = fresh;
    this.producerSuspect = false;
  }

  /** One request in flight keeps the idempotent producer's ordering (kafkajs#1005); batching gives the throughput. */
  private createProducer(): Producer {
    return this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: KeyPartitioner, // murmur2, as Java clients: same key → same partition
    });
  }

  /** The topic's partitions as the partitioner expects them (fetched once per topic); keyed records only need the count. */
  private async partitionMetadata(topic: string): Promise<PartitionMetadata[]> {
    let metadata = this.partitionsByTopic.get(topic);
    if (!metadata) {
      const count = await partitionCount(this.kafka, topic);
      if (count === 0) throw new Error(`topic ${topic} has no partitions (does it exist?)`);
      metadata = Array.from({ length: count }, (_, partitionId) => ({
        partitionId,
        leader: -1,
        replicas: [],
        isr: [],
        partitionErrorCode: 0,
      }));
      this.partitionsByTopic.set(topic, metadata);
    }
    return metadata;
  }
}

/** The publishers of each registry, whose queues the pending gauge sums at each scrape. */
const batchersOf = new WeakMap<Registry, Set<{ pending: number }>>();

/** Registers the publisher's own metrics once per registry (a process may run several publishers). */
function publisherMetrics(registry: Registry, batcher: { pending: number }): Histogram {
  const batchers = batchersOf.get(registry) ?? new Set();
  batchersOf.set(registry, batchers.add(batcher));
  registered(
    registry,
    'fanout_publisher_pending',
    () =>
      new Gauge({
        name: 'fanout_publisher_pending',
        help: 'Publishes waiting for a batch or in flight in one: the publisher queue bounded by PUBLISH_MAX_PENDING.',
        registers: [registry],
        collect() {
          this.set([...batchers].reduce((sum, b) => sum + b.pending, 0));
        },
      }),
  );
  return registered(
    registry,
    'fanout_publisher_batch_records',
    () =>
      new Histogram({
        name: 'fanout_publisher_batch_records',
        help: 'Records per flush of the publisher (coalesced concurrent publishes).',
        buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
        registers: [registry],
      }),
  );
}

import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { EventMap, EventSchemas } from '../events';
import { headersToStrings } from '../record-headers';
import { deadLetterTopic, retryTopic } from '../topic-names';
import { replayGroupId } from '../dead-letters';
import { KeyPartitioner } from '../key-partitioner';
import { BackpressureError } from './backpressure';
import { dueAt, type ConsumedRecord } from './consumed-record';
import { ConsumerHealth, type ConsumerReadiness } from './consumer-health';
import { ConsumerMetrics } from './consumer-metrics';
import { dispatch, EventDecoder } from './dispatch';
import { FetchMerger } from './fetch-merger';
import { LagMonitor } from './lag-monitor';
import { OffsetCommits, type CommitSender } from './offset-commits';
import { compose, type BatchHandler } from './pipeline';
import { countProcessed, isolate, measure, redeliver, retry, splitAtPoison, tracing, type RetryOptions } from './policies';
import { Redelivery, type RedeliveryOptions } from './redelivery';

export interface ConsumerServerOptions<Events extends EventMap = EventMap> {
  kafka: Kafka;
  /** The consumer group, exactly as given: every service is one group (broadcast), its instances share it. */
  groupId: string;
  /** The event types this group may receive, with their payload schemas: anything else is poison. */
  events: EventSchemas<Events>;
  /** How many assigned partitions this instance works on at once. */
  partitionConcurrency: number;
  /** Most records an @EventBatchPattern handler gets in one call. */
  maxBatchRecords: number;
  /** A fetch is answered once the broker has `minBytes` for it, or after `maxWaitMs`. */
  fetch: { minBytes: number; maxWaitMs: number };
  /** Quick in-place retries of one delivery. */
  retry: RetryOptions;
  /** Deliveries through the group's retry topic before the dead-letter topic. */
  redelivery: RedeliveryOptions;
  /** How often processed offsets are committed (also on rebalance and shutdown). */
  commitIntervalMs: number;
  /** Longest a shutdown waits for in-flight records before leaving the group anyway. */
  shutdownTimeoutMs: number;
  /** Not ready once the fetch loop has not turned for this long. */
  stallTimeoutMs: number;
  /** This instance's id on its metrics (which partitions it owns). */
  instanceId: string;
  /** How often the group's lag and dead letters are read from Kafka. */
  lagIntervalMs: number;
}

/**
 * A Nest microservice transport over a kafkajs consumer group: it moves records between Kafka and the
 * pipeline, nothing else. Handlers are `@EventPattern(<topic>)` (one event) or `@EventBatchPattern(<topic>)`
 * (a run of events) methods. Each fetched batch is cut into pipeline batches (of one for single-event
 * handlers and for retry topics, whose records wait for their due time); records of a partition run one
 * batch after another (per-key order). A batch's offsets are resolved once the pipeline is done with all
 * of it — handled, retried elsewhere or dead-lettered — and committed on an interval.
 */
export class KafkaConsumerServer<Events extends EventMap = EventMap> extends Server implements CustomTransportStrategy {
  private readonly log: Logger;
  private readonly consumer: Consumer;
  private readonly producer: Producer;
  private readonly pipeline: BatchHandler;
  private readonly commits: OffsetCommits;
  /** Each handled topic's retry topic, known once the handlers are registered. */
  private retryTopics: string[] = [];
  private readonly metrics: ConsumerMetrics;
  private readonly health: ConsumerHealth;
  private lagMonitor: LagMonitor | undefined;
  private readonly handlers = new Map<string, MessageHandler>();
  /** Per batch-handled topic: joins the batches its partitions hand over together. */
  private readonly mergers = new Map<string, FetchMerger>();

  constructor(private readonly options: ConsumerServerOptions<Events>) {
    super();
    this.log = new Logger(`KafkaConsumer:${options.groupId}`);
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      // A fetched batch is the largest thing a consumer holds: kafkajs's 1 MB per partition (~2,000
      // orders, decoded, each with its span) set peak RSS. 256 KB is ~500 orders, still a batch that
      // amortises a transaction or a Redis pipeline: same drain rate, 25-35 MB less at peak (bench/README.md).
      maxBytesPerPartition: 256 * 1024,
      minBytes: options.fetch.minBytes,
      maxWaitTimeInMs: options.fetch.maxWaitMs,
    });
    this.health = new ConsumerHealth(this.consumer, options.stallTimeoutMs);
    this.producer = options.kafka.producer({ allowAutoTopicCreation: false, createPartitioner: KeyPartitioner });
    this.metrics = new ConsumerMetrics(options.groupId, options.instanceId);
    this.commits = new OffsetCommits(this.consumer, options.commitIntervalMs, this.log);
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      this.metrics.assigned(payload.memberAssignment);
      this.commits.retain(payload.memberAssignment);
    });
    const decoder = new EventDecoder(options.events);
    this.pipeline = compose(
      [
        measure(this.metrics),
        splitAtPoison(decoder),
        isolate((batch, error) =>
          this.log.warn(`a batch of ${batch.length} records failed (${(error as Error).message}); handling them one by one`),
        ),
        tracing(options.groupId),
        redeliver(new Redelivery(this.producer, options.groupId, options.redelivery), this.metrics),
        countProcessed(this.metrics),
        retry(options.retry),
      ],
      dispatch(decoder, (topic) => this.handlerFor(topic), options.groupId, this.metrics),
    );
  }

  /** For the readiness probe: in its group (or joining) and fetching. */
  readiness(): ConsumerReadiness {
    return this.health.readiness();
  }

  listen(callback: (error?: unknown) => void): void {
    this.start().then(() => callback(), callback);
  }

  /** Commits what is done, stops fetching, lets in-flight batches finish and commit, leaves the group — within the timeout. */
  async close(): Promise<void> {
    this.commits.stop();
    await this.commits.commit();
    const left = this.consumer.disconnect().then(() => true);
    if (!(await Promise.race([left, sleep(this.options.shutdownTimeoutMs, undefined, { ref: false }).then(() => false)]))) {
      this.log.warn(`in-flight records did not finish within ${this.options.shutdownTimeoutMs} ms; leaving anyway`);
    }
    await Promise.all([this.producer.disconnect(), this.lagMonitor?.stop()]);
  }

  on(): never {
    throw new Error('KafkaConsumerServer does not emit events');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  /** The topics are those of the registered handlers: a group with none fails here, at start-up. */
  private async start(): Promise<void> {
    const topics = [...this.getHandlers().keys()];
    if (topics.length === 0) throw new Error(`consumer group "${this.options.groupId}" has no @EventPattern handler: nothing to consume`);
    for (const topic of topics) this.handlers.set(topic, this.getHandlerByPattern(topic)!);
    this.retryTopics = topics.map((topic) => retryTopic(topic, this.options.groupId));
    this.lagMonitor = new LagMonitor(this.options.kafka, this.metrics, {
      groupId: this.options.groupId,
      topics: [...topics, ...this.retryTopics],
      deadLetters: { topic: deadLetterTopic(topics[0]!, this.options.groupId), replayGroupId: replayGroupId(this.options.groupId) },
      intervalMs: this.options.lagIntervalMs,
    });
    await this.producer.connect();
    await this.consumer.connect();
    for (const topic of [...topics, ...this.retryTopics]) {
      await this.consumer.subscribe({ topic, fromBeginning: true });
    }
    await this.consumer.run({
      partitionsConsumedConcurrently: this.options.partitionConcurrency,
      eachBatchAutoResolve: false,
      autoCommit: false, // OffsetCommits commits on an interval; kafkajs's autoCommit would commit after every batch
      eachBatch: (payload) => this.moveBatch(payload),
    });
    this.commits.start();
    this.lagMonitor.start();
    this.log.log(`consuming ${topics.join(', ')} as group "${this.options.groupId}"`);
  }

  /** Hands a fetched batch to the pipeline in pieces, resolving each piece's offsets once it is done. */
  private async moveBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, isRunning, isStale } = payload;
    const records = batch.messages.map((message) => toRecord(batch.topic, batch.partition, message));
    const heartbeat = () => this.heartbeat(payload);
    const size = this.pieceSize(batch.topic);
    for (let i = 0; i < records.length && isRunning() && !isStale(); i += size) {
      const piece = records.slice(i, i + size);
      if (!(await this.waitUntilDue(piece[0]!, heartbeat, isRunning))) break;
      try {
        await this.handlePiece(batch.topic, piece, size);
      } catch (error) {
        if (!(error instanceof BackpressureError)) throw error;
        this.pause(payload, error); // unresolved records are fetched again once the partition resumes
        break;
      }
      const last = piece.at(-1)!.offset;
      payload.resolveOffset(last);
      this.commits.resolved(batch.topic, batch.partition, last);
      await heartbeat();
    }
    const send = viaBatch(payload);
    await (isRunning() && !isStale() ? this.commits.commitIfDue(send) : this.commits.commit(send));
  }

  /** A batch handler's pieces join those other partitions hand over at the same moment; single records go alone. */
  private handlePiece(topic: string, piece: ConsumedRecord[], size: number): Promise<void> {
    if (size === 1) return this.pipeline(piece);
    let merger = this.mergers.get(topic);
    if (!merger) this.mergers.set(topic, (merger = new FetchMerger(this.pipeline)));
    return merger.merge(piece);
  }

  /** Single-event handlers and retry topics take one record at a time; batch handlers up to maxBatchRecords. */
  private pieceSize(topic: string): number {
    if (this.retryTopics.includes(topic)) return 1;
    return this.handlers.get(topic)?.extras?.batch ? this.options.maxBatchRecords : 1;
  }

  /** A rebalance shows up as a failed heartbeat: what is done is committed before the partitions move. */
  private async heartbeat(payload: EachBatchPayload): Promise<void> {
    try {
      await payload.heartbeat();
    } catch (error) {
      await this.commits.commit(viaBatch(payload));
      throw error;
    }
  }

  private pause(payload: EachBatchPayload, error: BackpressureError): void {
    const { topic, partition } = payload.batch;
    const resume = payload.pause();
    setTimeout(resume, error.retryAfterMs).unref();
    this.metrics.paused(topic, partition);
    this.log.warn(`partition ${topic}[${partition}] paused ${error.retryAfterMs} ms: ${error.message}`);
  }

  /** Sleeps (heartbeating) until a retry record is due; false if the consumer stopped meanwhile. */
  private async waitUntilDue(record: ConsumedRecord, heartbeat: () => Promise<void>, isRunning: () => boolean): Promise<boolean> {
    const due = dueAt(record);
    while (Date.now() < due) {
      if (!isRunning()) return false;
      await sleep(Math.min(1_000, due - Date.now()));
      await heartbeat();
    }
    return true;
  }

  /** Retry records carry their source topic as origin: both find the source topic's handler. */
  private handlerFor(topic: string): MessageHandler {
    const handler = this.handlers.get(topic);
    if (!handler) throw new Error(`no @EventPattern('${topic}') handler is registered`);
    return handler;
  }
}

/** Commits through the batch's payload: unlike consumer.commitOffsets, it still works while the consumer stops. */
function viaBatch(payload: EachBatchPayload): CommitSender {
  return (offsets) =>
    payload.commitOffsetsIfNecessary({
      topics: [...new Set(offsets.map((o) => o.topic))].map((topic) => ({
        topic,
        partitions: offsets.filter((o) => o.topic === topic).map(({ partition, offset }) => ({ partition, offset })),
      })),
    });
}

function toRecord(topic: string, partition: number, message: KafkaMessage): ConsumedRecord {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString(),
    headers: headersToStrings(message.headers),
    value: message.value,
    timestamp: Number(message.timestamp),
  };
}

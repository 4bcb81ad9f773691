import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { Partitioners, type Consumer, type EachBatchPayload, type Kafka, type KafkaMessage, type Producer } from 'kafkajs';
import { isObservable, lastValueFrom } from 'rxjs';
import { deadLetterTopic, decodeOrderEvent, RETRY_HEADERS, retryTopic, type OrderEvent } from '@fanout/contracts';
import { replayGroupId } from '../dead-letters';
import { traceProcessBatch } from '@fanout/tracing';
import { measured } from '../messaging-metrics';
import { ConsumerMetrics } from './consumer-metrics';
import { LagMonitor } from './lag-monitor';
import { headersToStrings } from '../record-headers';
import { BackpressureError } from './backpressure';
import { ConsumerHealth, type ConsumerReadiness } from './consumer-health';
import { compose, originOf, type ConsumedRecord, type RecordHandler } from './consumed-record';
import { isHandlerOutcome, type EventBatchItem } from './event-batch';
import { metrics, processAttributes, redeliver, retry, tracing, type RetryOptions } from './policies';
import { RecordContext } from './record-context';
import { Redelivery, type RedeliveryOptions } from './redelivery';

export interface ConsumerServerOptions {
  kafka: Kafka;
  /** The consumer group, exactly as given: every service is one group (broadcast), its instances share it. */
  groupId: string;
  /** How many assigned partitions this instance works on at once. */
  partitionConcurrency: number;
  /** Most records an @EventBatchPattern handler gets in one call. */
  maxBatchRecords: number;
  /** Quick in-place retries of one delivery. */
  retry: RetryOptions;
  /** Deliveries through the group's retry topic before the dead-letter topic. */
  redelivery: RedeliveryOptions;
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
 * A Nest microservice transport over a kafkajs consumer group. Handlers are `@EventPattern(<topic>)`
 * methods receiving the decoded event. Records of a partition run one after another (per-key order);
 * an offset is resolved only after its record succeeded, was moved to the retry topic or was
 * dead-lettered, and is committed as offset+1 at the end of each batch. The group also consumes its
 * retry topic, waiting for each record's due time there without blocking the source partitions.
 */
export class KafkaConsumerServer extends Server implements CustomTransportStrategy {
  private readonly log: Logger;
  private readonly consumer: Consumer;
  private readonly producer: Producer;
  private readonly pipeline: RecordHandler;
  /** Each handled topic's retry topic, known once the handlers are registered. */
  private retryTopics: string[] = [];
  private readonly metrics: ConsumerMetrics;
  private readonly health: ConsumerHealth;
  private lagMonitor: LagMonitor | undefined;
  private readonly handlers = new Map<string, MessageHandler | null>();

  constructor(private readonly options: ConsumerServerOptions) {
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
    });
    this.health = new ConsumerHealth(this.consumer, options.stallTimeoutMs);
    this.producer = options.kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
    const consumerMetrics = new ConsumerMetrics(options.groupId, options.instanceId);
    this.metrics = consumerMetrics;
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => consumerMetrics.assigned(payload.memberAssignment));
    this.pipeline = compose(
      [
        tracing(options.groupId),
        redeliver(new Redelivery(this.producer, options.groupId, options.redelivery), consumerMetrics),
        metrics(consumerMetrics),
        retry(options.retry),
      ],
      (record) => this.dispatch(record),
    );
  }

  /** For the readiness probe: in its group (or joining) and fetching. */
  readiness(): ConsumerReadiness {
    return this.health.readiness();
  }

  listen(callback: (error?: unknown) => void): void {
    this.start().then(() => callback(), callback);
  }

  /** Stops fetching, lets in-flight records finish and commit, leaves the group — within the timeout. */
  async close(): Promise<void> {
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
      autoCommitThreshold: 1, // with the commit call below: one commit per batch, of resolved offsets only
      eachBatch: (payload) => this.processBatch(payload),
    });
    this.lagMonitor.start();
    this.log.log(`consuming ${topics.join(', ')} as group "${this.options.groupId}"`);
  }

  /** One fetched batch, timed and counted once (messaging.process.duration, consumed messages). */
  private processBatch(payload: EachBatchPayload): Promise<void> {
    const { topic, partition, messages } = payload.batch;
    return measured(
      () => this.processRecords(payload),
      (seconds, error_type) => this.metrics.batch(topic, partition, messages.length, seconds, error_type),
    );
  }

  private async processRecords(payload: EachBatchPayload): Promise<void> {
    const { batch, heartbeat, commitOffsetsIfNecessary, isRunning, isStale } = payload;
    const records = batch.messages.map((message) => toRecord(batch.topic, batch.partition, message));
    const batchHandler = this.batchHandlerFor(batch.topic);
    for (let i = 0; i < records.length && isRunning() && !isStale();) {
      const run = batchHandler ? decodedRun(records, i, this.options.maxBatchRecords) : [];
      if (run.length > 1 && (await this.handleRun(run, batchHandler!))) {
        for (const { record } of run) {
          this.metrics.processed(record);
          payload.resolveOffset(record.offset);
        }
        await heartbeat();
        i += run.length;
        continue;
      }
      // One at a time: a single record, an undecodable one (→ DLQ), or a run whose batch failed.
      for (const record of run.length > 1 ? run.map((r) => r.record) : [records[i]!]) {
        if (!(await this.processOne(record, payload))) return commitOffsetsIfNecessary();
        i++;
      }
    }
    await commitOffsetsIfNecessary();
  }

  /** One record through the policy pipeline; false when its partition was paused (stop this batch). */
  private async processOne(record: ConsumedRecord, payload: EachBatchPayload): Promise<boolean> {
    const { batch, heartbeat, isRunning, pause } = payload;
    if (!(await this.waitUntilDue(record, heartbeat, isRunning))) return false;
    try {
      await this.pipeline(record);
    } catch (error) {
      if (!(error instanceof BackpressureError)) throw error;
      // Unresolved records are fetched again once the partition resumes.
      const resume = pause();
      setTimeout(resume, error.retryAfterMs).unref();
      this.metrics.paused(batch.topic, batch.partition);
      this.log.warn(`partition ${batch.topic}[${batch.partition}] paused ${error.retryAfterMs} ms: ${error.message}`);
      return false;
    }
    payload.resolveOffset(record.offset);
    await heartbeat();
    return true;
  }

  /** A batch handler for records of this topic: source topics only, retries wait for their due time one by one. */
  private batchHandlerFor(topic: string): MessageHandler | undefined {
    if (this.retryTopics.includes(topic)) return undefined;
    const handler = this.handlerFor(topic);
    return handler?.extras?.batch ? handler : undefined;
  }

  /** Nest normalises the pattern on every lookup (5% of notification's CPU per record): once per topic is enough. */
  private handlerFor(topic: string): MessageHandler | null {
    if (!this.handlers.has(topic)) this.handlers.set(topic, this.getHandlerByPattern(topic));
    return this.handlers.get(topic)!;
  }

  /** Runs a batch handler over decoded records; false if it failed (the caller then goes one by one). */
  private async handleRun(run: DecodedRecord[], handler: MessageHandler): Promise<boolean> {
    const items: EventBatchItem[] = run.map(({ record, event }) => ({ event, origin: originOf(record) }));
    const spans = run.map(({ record }) => ({ headers: record.headers, attributes: processAttributes(record, this.options.groupId) }));
    try {
      await traceProcessBatch(run[0]!.record.topic, spans, () => this.invoke(handler, items, run[0]!.record));
      return true;
    } catch (error) {
      this.log.warn(`a batch of ${run.length} records failed (${(error as Error).message}); handling them one by one`);
      return false;
    }
  }

  /** Sleeps (heartbeating) until a retry record is due; false if the consumer stopped meanwhile. */
  private async waitUntilDue(record: ConsumedRecord, heartbeat: () => Promise<void>, isRunning: () => boolean): Promise<boolean> {
    const dueAt = Number(record.headers[RETRY_HEADERS.dueAt] ?? 0);
    while (Date.now() < dueAt) {
      if (!isRunning()) return false;
      await sleep(Math.min(1_000, dueAt - Date.now()));
      await heartbeat();
    }
    return true;
  }

  private async dispatch(record: ConsumedRecord): Promise<void> {
    const { topic } = originOf(record);
    const handler = this.handlerFor(topic);
    if (!handler) throw new Error(`no @EventPattern('${topic}') handler is registered`);
    const event = decodeOrderEvent(record.headers, record.value);
    await this.invoke(handler, handler.extras?.batch ? [{ event, origin: originOf(record) }] : event, record);
  }

  private async invoke(handler: MessageHandler, payload: unknown, record: ConsumedRecord): Promise<void> {
    const returned: unknown = await handler(payload, new RecordContext([record, this.options.groupId]));
    const outcome: unknown = isObservable(returned) ? await lastValueFrom(returned, { defaultValue: undefined }) : returned;
    if (isHandlerOutcome(outcome)) this.metrics.duplicates(outcome.duplicates);
  }
}

interface DecodedRecord {
  record: ConsumedRecord;
  event: OrderEvent;
}

/** The decodable records from `start` on, at most `max`, stopping before the first undecodable one. */
function decodedRun(records: ConsumedRecord[], start: number, max: number): DecodedRecord[] {
  const run: DecodedRecord[] = [];
  for (let i = start; i < records.length && run.length < max; i++) {
    const record = records[i]!;
    try {
      run.push({ record, event: decodeOrderEvent(record.headers, record.value) });
    } catch {
      break;
    }
  }
  return run;
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

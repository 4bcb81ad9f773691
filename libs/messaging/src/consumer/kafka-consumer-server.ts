import { Logger } from '@nestjs/common';
import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import type { Consumer, EachBatchPayload, Kafka, Producer } from 'kafkajs';
import { isObservable, lastValueFrom } from 'rxjs';
import { decodeOrderEvent } from '@fanout/contracts';
import { ConsumerMetrics } from '../metrics';
import { headersToStrings } from '../record-headers';
import { compose, type ConsumedRecord, type RecordHandler } from './consumed-record';
import { DeadLetterPublisher } from './dead-letter';
import { deadLetter, metrics, retry, tracing, type RetryOptions } from './policies';
import { RecordContext } from './record-context';

export interface ConsumerServerOptions {
  kafka: Kafka;
  /** The consumer group, exactly as given: every service is one group (broadcast), its instances share it. */
  groupId: string;
  topics: string[];
  /** How many assigned partitions this instance works on at once. */
  partitionConcurrency: number;
  retry: RetryOptions;
}

/**
 * A Nest microservice transport over a kafkajs consumer group. Handlers are `@EventPattern(<topic>)`
 * methods receiving the decoded event. Records of a partition run one after another (per-key order);
 * an offset is resolved only after its record succeeded or was dead-lettered, and committed as offset+1
 * at the end of each batch.
 */
export class KafkaConsumerServer extends Server implements CustomTransportStrategy {
  private readonly log: Logger;
  private readonly consumer: Consumer;
  private readonly dlqProducer: Producer;
  private readonly pipeline: RecordHandler;

  constructor(private readonly options: ConsumerServerOptions) {
    super();
    this.log = new Logger(`KafkaConsumer:${options.groupId}`);
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
    });
    this.dlqProducer = options.kafka.producer({ allowAutoTopicCreation: false });
    const consumerMetrics = new ConsumerMetrics(options.groupId);
    this.pipeline = compose(
      [
        tracing(options.groupId),
        deadLetter(new DeadLetterPublisher(this.dlqProducer, options.groupId), consumerMetrics),
        metrics(consumerMetrics),
        retry(options.retry),
      ],
      (record) => this.dispatch(record),
    );
  }

  listen(callback: (error?: unknown) => void): void {
    this.start().then(() => callback(), callback);
  }

  async close(): Promise<void> {
    await this.consumer.disconnect();
    await this.dlqProducer.disconnect();
  }

  on(): never {
    throw new Error('KafkaConsumerServer does not emit events');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  private async start(): Promise<void> {
    await this.dlqProducer.connect();
    await this.consumer.connect();
    for (const topic of this.options.topics) await this.consumer.subscribe({ topic, fromBeginning: true });
    await this.consumer.run({
      partitionsConsumedConcurrently: this.options.partitionConcurrency,
      eachBatchAutoResolve: false,
      autoCommitThreshold: 1, // with the commit call below: one commit per batch, of resolved offsets only
      eachBatch: (payload) => this.processBatch(payload),
    });
    this.log.log(`consuming ${this.options.topics.join(', ')} as group "${this.options.groupId}"`);
  }

  private async processBatch({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }: EachBatchPayload) {
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) break;
      await this.pipeline({
        topic: batch.topic,
        partition: batch.partition,
        offset: message.offset,
        key: message.key?.toString(),
        headers: headersToStrings(message.headers),
        value: message.value,
        timestamp: Number(message.timestamp),
      });
      resolveOffset(message.offset);
      await heartbeat();
    }
    await commitOffsetsIfNecessary();
  }

  private async dispatch(record: ConsumedRecord): Promise<void> {
    const handler = this.getHandlerByPattern(record.topic);
    if (!handler) throw new Error(`no @EventPattern('${record.topic}') handler is registered`);
    const event = decodeOrderEvent(record.headers, record.value);
    const result: unknown = await handler(event, new RecordContext([record, this.options.groupId]));
    if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
  }
}

export { logLevel, type Kafka, type KafkaConfig } from 'kafkajs';
export { createKafka, parseBrokers, type KafkaConnection } from './kafka-client';
export {
  EventPublisher,
  PublishFailedError,
  PublishTimeoutError,
  type EventMap,
  type OutgoingEvent,
  type PublisherOptions,
} from './publisher';
export { Batcher, BatcherFullError, type BatcherOptions } from './batcher';
export { KafkaConsumerServer, type ConsumerServerOptions } from './consumer/kafka-consumer-server';
export { RecordContext } from './consumer/record-context';
export { EventBatchPattern, type EventBatchItem, type HandlerOutcome } from './consumer/event-batch';
export { RethrowHandlerErrors } from './consumer/rethrow-handler-errors.filter';
export {
  originOf,
  deliveryAttempt,
  type ConsumedRecord,
  type RecordHandler,
  type RecordPolicy,
  type RecordOrigin,
} from './consumer/consumed-record';
export { BackpressureError } from './consumer/backpressure';
export { retryDelayMs, deadLetterReason, type RedeliveryOptions } from './consumer/redelivery';
export { ConsumerMetrics } from './consumer/consumer-metrics';
export { LagMonitor } from './consumer/lag-monitor';
export { FanoutInspector, type GroupState, type PartitionState, type TailedRecord } from './fanout-inspector';
export { headersToStrings } from './record-headers';
export * from './admin';
export { replayDeadLetters, replayGroupId, type DeadLetter } from './dead-letters';

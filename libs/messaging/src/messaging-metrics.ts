import { Counter, Histogram, register, type Registry } from 'prom-client';

/**
 * The OpenTelemetry messaging metrics, under their Prometheus names (dots become underscores, the unit
 * and `_total` suffixes appended): one set per process, shared by the publisher, the redelivery hops and
 * the consumer runtime. Attribute names follow the conventions too.
 */
export const SYSTEM = { messaging_system: 'kafka' } as const;

const DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function counter<L extends string>(name: string, help: string, labelNames: L[], registry: Registry): Counter<L> {
  return (registry.getSingleMetric(name) as Counter<L> | undefined) ?? new Counter({ name, help, labelNames, registers: [registry] });
}

function histogram<L extends string>(name: string, help: string, labelNames: L[], registry: Registry): Histogram<L> {
  return (
    (registry.getSingleMetric(name) as Histogram<L> | undefined) ??
    new Histogram({ name, help, labelNames, buckets: DURATION_BUCKETS, registers: [registry] })
  );
}

export function messagingMetrics(registry: Registry = register) {
  return {
    sent: counter(
      'messaging_client_sent_messages_total',
      'Messages the producer sent (messaging.client.sent.messages); error_type set when the send failed.',
      ['messaging_system', 'messaging_destination_name', 'error_type'],
      registry,
    ),
    operationDuration: histogram(
      'messaging_client_operation_duration_seconds',
      'Duration of a produce request (messaging.client.operation.duration), one observation per batch sent.',
      ['messaging_system', 'messaging_operation_name', 'messaging_destination_name', 'error_type'],
      registry,
    ),
    consumed: counter(
      'messaging_client_consumed_messages_total',
      'Messages handed to the application (messaging.client.consumed.messages).',
      ['messaging_system', 'messaging_consumer_group_name', 'messaging_destination_name', 'messaging_destination_partition_id'],
      registry,
    ),
    processDuration: histogram(
      'messaging_process_duration_seconds',
      'Duration of processing a batch of messages (messaging.process.duration), one observation per batch.',
      ['messaging_system', 'messaging_consumer_group_name', 'messaging_destination_name', 'error_type'],
      registry,
    ),
  };
}

export type MessagingMetrics = ReturnType<typeof messagingMetrics>;

/** `error.type` as the conventions name it: the error's class. */
export function errorType(error: unknown): string {
  if (!(error instanceof Error)) return '_OTHER';
  return error.name === 'Error' ? error.constructor.name : error.name;
}

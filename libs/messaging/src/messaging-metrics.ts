import { Counter, Histogram, register, type Metric, type Registry } from 'prom-client';
import { errorType } from '@fanout/tracing';

/**
 * The OpenTelemetry messaging metrics, under their Prometheus names (dots become underscores, the unit
 * and `_total` suffixes appended): one set per process, shared by the publisher, the redelivery hops and
 * the consumer runtime. Attribute names follow the conventions too.
 */
export const SYSTEM = { messaging_system: 'kafka' } as const;

const DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The metric `name` of the registry, created on first use: a process may have several publishers or consumers. */
export function registered<M extends Metric>(registry: Registry, name: string, create: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? create();
}

function counter<L extends string>(name: string, help: string, labelNames: L[], registry: Registry): Counter<L> {
  return registered(registry, name, () => new Counter({ name, help, labelNames, registers: [registry] }));
}

function histogram<L extends string>(name: string, help: string, labelNames: L[], registry: Registry): Histogram<L> {
  return registered(registry, name, () => new Histogram({ name, help, labelNames, buckets: DURATION_BUCKETS, registers: [registry] }));
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

/**
 * Runs `work` and reports how long it took and its `error.type` ('' when it succeeded) to `record`,
 * whichever way it ends: how every send and every batch is measured.
 */
export async function measured<T>(work: () => Promise<T>, record: (seconds: number, error_type: string) => void): Promise<T> {
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1_000;
  try {
    const result = await work();
    record(elapsed(), '');
    return result;
  } catch (error) {
    record(elapsed(), errorType(error));
    throw error;
  }
}

import { Counter, Gauge, Histogram, register, type Registry } from 'prom-client';
import { messagingMetrics, SYSTEM, type MessagingMetrics } from '../messaging-metrics';
import type { ConsumedRecord } from './consumed-record';
import type { RecordBatch } from './pipeline';

/**
 * Per-instance consumer figures, scraped from each service's /metrics: how many records each
 * partition gave this instance, how long after the producer's send processing ended, which
 * partitions it owns, and its group's lag and dead letters (see LagMonitor).
 */
export class ConsumerMetrics {
  private readonly messaging: MessagingMetrics;
  private readonly assignedPartitions: Gauge<'group' | 'topic' | 'partition' | 'service_instance_id'>;
  private readonly lagGauge: Gauge<'group' | 'topic' | 'partition'>;
  private readonly deadLettersGauge: Gauge<'group'>;
  private readonly records: Counter<'group' | 'topic' | 'partition' | 'outcome'>;
  private readonly fanoutLatency: Histogram<'group'>;
  private readonly pauses: Counter<'group' | 'topic' | 'partition'>;
  private readonly duplicateEvents: Counter<'group'>;

  constructor(
    private readonly groupId: string,
    private readonly instanceId: string,
    registry: Registry = register,
  ) {
    this.messaging = messagingMetrics(registry);
    this.assignedPartitions = new Gauge({
      name: 'fanout_consumer_assigned',
      // service_instance_id, not instance: Prometheus sets `instance` to the scrape target itself.
      help: 'Partitions this instance owns in its group (1 per owned partition), from its last join.',
      labelNames: ['group', 'topic', 'partition', 'service_instance_id'],
      registers: [registry],
    });
    this.lagGauge = new Gauge({
      name: 'fanout_consumer_lag',
      help: "Records of each partition the group has not committed yet: log end offset minus the group's committed offset.",
      labelNames: ['group', 'topic', 'partition'],
      registers: [registry],
    });
    this.deadLettersGauge = new Gauge({
      name: 'fanout_dead_letters_pending',
      help: "Records on the group's dead-letter topic not yet replayed.",
      labelNames: ['group'],
      registers: [registry],
    });
    this.records = new Counter({
      name: 'fanout_consumer_records_total',
      help: 'Records this instance finished, by topic, partition and outcome (processed, retried, dead_lettered).',
      labelNames: ['group', 'topic', 'partition', 'outcome'],
      registers: [registry],
    });
    this.fanoutLatency = new Histogram({
      name: 'fanout_consumer_fanout_latency_seconds',
      help: "Time from the producer's record timestamp to the end of this group's processing.",
      labelNames: ['group'],
      // Fine below 100 ms, where the fan-out target lies; the benchmark interpolates quantiles inside these.
      buckets: [0.001, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.04, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    });
    this.duplicateEvents = new Counter({
      name: 'fanout_consumer_duplicates_total',
      help: 'Events whose effect had already been applied: redeliveries absorbed by dedup or version checks.',
      labelNames: ['group'],
      registers: [registry],
    });
    this.pauses = new Counter({
      name: 'fanout_consumer_partition_pauses_total',
      help: 'Times this instance paused a partition because its downstream asked for backpressure.',
      labelNames: ['group', 'topic', 'partition'],
      registers: [registry],
    });
  }

  /** Events a handler reported as already applied (see HandlerOutcome). */
  duplicates(count: number): void {
    if (count > 0) this.duplicateEvents.inc({ group: this.groupId }, count);
  }

  /** A partition paused for backpressure (an open circuit downstream). */
  paused(topic: string, partition: number): void {
    this.pauses.inc({ group: this.groupId, topic, partition: String(partition) });
  }

  /** The partitions this instance got at its last join (kafkajs GROUP_JOIN's memberAssignment). */
  assigned(assignment: Record<string, number[]>): void {
    this.assignedPartitions.reset();
    for (const [topic, partitions] of Object.entries(assignment)) {
      for (const partition of partitions) {
        this.assignedPartitions.set({ group: this.groupId, topic, partition: String(partition), service_instance_id: this.instanceId }, 1);
      }
    }
  }

  lag(topic: string, partition: number, records: number): void {
    this.lagGauge.set({ group: this.groupId, topic, partition: String(partition) }, records);
  }

  deadLettersPending(records: number): void {
    this.deadLettersGauge.set({ group: this.groupId }, records);
  }

  /** One batch of the pipeline: its records handed to the application (per partition), and how long the whole batch took. */
  batch(batch: RecordBatch, seconds: number, error_type: string): void {
    const group = { ...SYSTEM, messaging_consumer_group_name: this.groupId, messaging_destination_name: batch[0]!.topic };
    for (const [partition, records] of perPartition(batch)) {
      this.messaging.consumed.inc({ ...group, messaging_destination_partition_id: String(partition) }, records);
    }
    this.messaging.processDuration.observe({ ...group, error_type }, seconds);
  }

  /** A batch processed: one count per partition, and each record's time from its producer's send to now. */
  processed(batch: RecordBatch): void {
    for (const [partition, records] of perPartition(batch)) this.count(batch[0]!.topic, partition, 'processed', records);
    const now = Date.now();
    const latency = this.fanoutLatency.labels({ group: this.groupId });
    for (const record of batch) latency.observe(Math.max(0, now - record.timestamp) / 1_000);
  }

  /** A failed record moved to the retry topic or to the dead-letter topic. */
  redirected(record: ConsumedRecord, outcome: 'retry' | 'dead-letter'): void {
    this.count(record.topic, record.partition, outcome === 'retry' ? 'retried' : 'dead_lettered');
  }

  private count(topic: string, partition: number, outcome: string, records = 1): void {
    this.records.inc({ group: this.groupId, topic, partition: String(partition), outcome }, records);
  }
}

/** How many records of a batch (of one topic) each partition gave: a joined batch spans several. */
function perPartition(batch: RecordBatch): Map<number, number> {
  const counts = new Map<number, number>();
  for (const { partition } of batch) counts.set(partition, (counts.get(partition) ?? 0) + 1);
  return counts;
}

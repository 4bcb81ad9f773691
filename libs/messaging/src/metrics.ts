import { Counter, Histogram, register, type Registry } from 'prom-client';
import type { ConsumedRecord } from './consumer/consumed-record';

/**
 * Per-instance consumer figures, scraped from each service's /metrics: how many records each
 * partition gave this instance, and how long after the producer's send processing ended.
 */
export class ConsumerMetrics {
  private readonly records: Counter<'group' | 'topic' | 'partition' | 'outcome'>;
  private readonly fanoutLatency: Histogram<'group'>;
  private readonly pauses: Counter<'group' | 'topic' | 'partition'>;
  private readonly duplicateEvents: Counter<'group'>;

  constructor(
    private readonly groupId: string,
    registry: Registry = register,
  ) {
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

  processed(record: ConsumedRecord): void {
    this.count(record, 'processed');
    this.fanoutLatency.observe({ group: this.groupId }, Math.max(0, Date.now() - record.timestamp) / 1_000);
  }

  /** A failed record moved to the retry topic or to the dead-letter topic. */
  redirected(record: ConsumedRecord, outcome: 'retry' | 'dead-letter'): void {
    this.count(record, outcome === 'retry' ? 'retried' : 'dead_lettered');
  }

  private count(record: ConsumedRecord, outcome: string): void {
    this.records.inc({ group: this.groupId, topic: record.topic, partition: String(record.partition), outcome });
  }
}

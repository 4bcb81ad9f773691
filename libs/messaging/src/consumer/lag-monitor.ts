import { Logger } from '@nestjs/common';
import type { Admin, Kafka } from 'kafkajs';
import { PersistentAdmin } from '../admin';
import type { ConsumerMetrics } from './consumer-metrics';

export interface LagMonitorOptions {
  groupId: string;
  /** The topics the group consumes: lag is reported per partition of each. */
  topics: string[];
  /** The group's dead-letter topic, and the group whose commits there mark what was replayed. */
  deadLetters: { topic: string; replayGroupId: string };
  intervalMs: number;
}

/**
 * Computes the group's lag as Kafka's own kafka-consumer-groups tool does (log end offset minus the
 * committed offset, per partition) and how many dead letters wait, every `intervalMs`, into the
 * consumer's metrics. Every instance of the group reports the same figures. A poll that fails (Kafka
 * away) keeps the last figures and is tried again at the next interval.
 */
export class LagMonitor {
  private readonly log: Logger;
  private readonly admin: PersistentAdmin;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    kafka: Kafka,
    private readonly metrics: ConsumerMetrics,
    private readonly options: LagMonitorOptions,
  ) {
    this.log = new Logger(`LagMonitor:${options.groupId}`);
    this.admin = new PersistentAdmin(kafka);
  }

  start(): void {
    this.timer = setInterval(() => void this.poll(), this.options.intervalMs).unref();
    void this.poll();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.admin.close();
  }

  async poll(): Promise<void> {
    try {
      const admin = await this.admin.get();
      for (const topic of this.options.topics) {
        const offsets = await uncommittedOffsets(admin, this.options.groupId, topic);
        for (const [partition, { lag }] of offsets) this.metrics.lag(topic, partition, lag);
      }
      const { topic, replayGroupId } = this.options.deadLetters;
      const pending = await uncommittedOffsets(admin, replayGroupId, topic);
      this.metrics.deadLettersPending([...pending.values()].reduce((sum, p) => sum + p.lag, 0));
    } catch (error) {
      this.log.debug(`lag poll failed: ${(error as Error).message}`);
    }
  }
}

/**
 * Per partition: the group's committed offset (the log start if it never committed) and the lag,
 * log end offset minus that — what kafka-consumer-groups --describe prints.
 */
export async function uncommittedOffsets(
  admin: Admin,
  groupId: string,
  topic: string,
): Promise<Map<number, { committed: number; lag: number }>> {
  const [ends, [committed]] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
  const offsets = new Map((committed?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  return new Map(
    ends.map(({ partition, high, low }) => {
      const stored = offsets.get(partition) ?? -1;
      const from = stored >= 0 ? stored : Number(low);
      return [partition, { committed: from, lag: Number(high) - from }];
    }),
  );
}

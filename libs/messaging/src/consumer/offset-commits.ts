import type { Logger } from '@nestjs/common';
import type { Consumer, TopicPartitionOffset } from 'kafkajs';

/** How a commit reaches Kafka: inside a batch through its payload (which also works while the consumer stops), else the consumer. */
export type CommitSender = (offsets: TopicPartitionOffset[]) => Promise<void>;

/**
 * Commits processed offsets on an interval instead of after every batch (kafkajs's autoCommit does
 * that, a round trip per fetch). Also committed: when a rebalance starts, when the consumer stops, and
 * when the interval passes with the consumer idle, so a quiet group's lag reaches zero. A crash loses at
 * most an interval of commits: those records are delivered again, and handlers are idempotent.
 */
export class OffsetCommits {
  private readonly pending = new Map<string, TopicPartitionOffset>();
  private lastCommit = Date.now();
  private inFlight = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly consumer: Pick<Consumer, 'commitOffsets'>,
    private readonly intervalMs: number,
    private readonly log: Logger,
  ) {}

  /** Records up to `offset` of this partition are done with: the group may move past them. */
  resolved(topic: string, partition: number, offset: string): void {
    this.pending.set(`${topic}\0${partition}`, { topic, partition, offset: String(Number(offset) + 1) });
  }

  /** Forgets partitions this instance no longer owns: their new owner commits them now. */
  retain(assignment: Record<string, number[]>): void {
    for (const [key, { topic, partition }] of this.pending) {
      if (!assignment[topic]?.includes(partition)) this.pending.delete(key);
    }
  }

  commitIfDue(send?: CommitSender): Promise<void> {
    return Date.now() - this.lastCommit >= this.intervalMs ? this.commit(send) : Promise.resolve();
  }

  /** Commits what is pending now, after any commit already in flight. */
  commit(send: CommitSender = (offsets) => this.consumer.commitOffsets(offsets)): Promise<void> {
    this.inFlight = this.inFlight.then(() => this.commitPending(send));
    return this.inFlight;
  }

  start(): void {
    this.timer = setInterval(() => void this.commitIfDue(), this.intervalMs).unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async commitPending(send: CommitSender): Promise<void> {
    this.lastCommit = Date.now();
    if (this.pending.size === 0) return;
    const offsets = [...this.pending.values()];
    this.pending.clear();
    try {
      await send(offsets);
    } catch (error) {
      // Kept for the next commit unless a newer offset of the partition arrived meanwhile.
      for (const o of offsets) {
        const key = `${o.topic}\0${o.partition}`;
        if (!this.pending.has(key)) this.pending.set(key, o);
      }
      this.log.warn(`offset commit failed, retried at the next one: ${(error as Error).message}`);
    }
  }
}

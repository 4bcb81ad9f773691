import type { BatchHandler, RecordBatch } from './pipeline';

interface Waiting {
  records: RecordBatch;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Joins the batches that several partitions hand over at the same moment into one pipeline batch. kafkajs
 * gives each partition of a fetch its own eachBatch call, all started together: at a few hundred orders a
 * second that is one or two records per partition, and every batch pays a transaction, a Redis pipeline
 * or a claim of its own. Batches arriving before the event loop's next turn are handled as one, each
 * partition's records still consecutive and in offset order; each caller settles with the joined batch,
 * so a partition still moves on only once its own records are done with.
 */
export class FetchMerger {
  private waiting: Waiting[] = [];

  constructor(private readonly handle: BatchHandler) {}

  merge(records: RecordBatch): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.waiting.push({ records, resolve, reject }) === 1) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const joined = this.waiting;
    this.waiting = [];
    try {
      await this.handle(joined.flatMap((w) => w.records));
      for (const w of joined) w.resolve();
    } catch (error) {
      for (const w of joined) w.reject(error);
    }
  }
}

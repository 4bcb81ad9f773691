/** Raised when more items wait than the batcher may hold: callers should shed load (HTTP 503). */
export class BatcherFullError extends Error {
  constructor(limit: number) {
    super(`more than ${limit} records are waiting to be published`);
    this.name = 'BatcherFullError';
  }
}

export interface BatcherOptions {
  /** How long the first item of a batch may wait for company. */
  lingerMs: number;
  maxBatchSize: number;
  /** Items waiting or in flight beyond which enqueue fails at once: bounds memory. */
  maxPending: number;
}

interface Pending<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Coalesces concurrent items into batches handed to `flush` one batch at a time.
 * Each enqueue settles when the batch holding its item settled: throughput comes
 * from many items per request, never from acknowledging before the flush did.
 */
export class Batcher<T> {
  private queue: Pending<T>[] = [];
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly flush: (items: T[]) => Promise<void>,
    private readonly options: BatcherOptions,
  ) {}

  get pending(): number {
    return this.queue.length + this.inFlight;
  }

  enqueue(item: T): Promise<void> {
    if (this.pending >= this.options.maxPending) return Promise.reject(new BatcherFullError(this.options.maxPending));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.queue.length >= this.options.maxBatchSize) this.drainSoon(0);
      else this.drainSoon(this.options.lingerMs);
    });
  }

  /** Resolves once every item enqueued so far has settled (sent or failed): for a shutdown's last flush. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private drainSoon(delayMs: number): void {
    if (this.flushing) return; // the running drain loop picks the item up
    if (this.timer && delayMs > 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.drain(), delayMs);
  }

  private async drain(): Promise<void> {
    this.timer = undefined;
    this.flushing = true;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatchSize);
      this.inFlight = batch.length;
      try {
        await this.flush(batch.map((p) => p.item));
        for (const p of batch) p.resolve();
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
      this.inFlight = 0;
    }
    this.flushing = false;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

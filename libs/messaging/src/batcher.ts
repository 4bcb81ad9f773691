/** Raised when more items wait than the batcher may hold: callers should shed load (HTTP 503). */
export class BatcherFullError extends Error {
  constructor(limit: number) {
    super(`more than ${limit} records are waiting to be published`);
    this.name = 'BatcherFullError';
  }
}

/** Raised for an item its flush did not settle within `timeoutMs` of its enqueue. */
export class BatcherTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`not flushed within ${timeoutMs} ms`);
    this.name = 'BatcherTimeoutError';
  }
}

export interface BatcherOptions {
  /** How long the first item of a batch may wait for company. */
  lingerMs: number;
  maxBatchSize: number;
  /** Items waiting or in flight beyond which enqueue fails at once: bounds memory. */
  maxPending: number;
  /**
   * An item whose flush has not settled this long after its enqueue is rejected (BatcherTimeoutError).
   * One still waiting for its batch is dropped, never flushed; one in flight may still be written.
   */
  timeoutMs: number;
}

interface Pending<T> {
  item: T;
  /** When the item times out (Date.now() scale). */
  deadline: number;
  settled: boolean;
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
  private inFlight: Pending<T>[] = [];
  private lingerTimer: NodeJS.Timeout | undefined;
  /** One timer for every item, not one per item: items time out in the order they came. */
  private deadlineTimer: NodeJS.Timeout | undefined;
  private flushing = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly flush: (items: T[]) => Promise<void>,
    private readonly options: BatcherOptions,
  ) {}

  /** Items waiting or in flight (an in-flight item that timed out still counts until its flush settles). */
  get pending(): number {
    return this.queue.length + this.inFlight.length;
  }

  enqueue(item: T): Promise<void> {
    if (this.pending >= this.options.maxPending) return Promise.reject(new BatcherFullError(this.options.maxPending));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, deadline: Date.now() + this.options.timeoutMs, settled: false, resolve, reject });
      this.armDeadline();
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
    if (this.lingerTimer && delayMs > 0) return;
    clearTimeout(this.lingerTimer);
    this.lingerTimer = setTimeout(() => void this.drain(), delayMs);
  }

  private async drain(): Promise<void> {
    this.lingerTimer = undefined;
    this.flushing = true;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatchSize);
      this.inFlight = batch;
      let failure: { error: unknown } | undefined;
      try {
        await this.flush(batch.map((p) => p.item));
      } catch (error) {
        failure = { error };
      }
      for (const p of batch) settle(p, failure);
      this.inFlight = [];
    }
    this.flushing = false;
    clearTimeout(this.deadlineTimer); // nothing left to time out; no timer holds the process
    this.deadlineTimer = undefined;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** Set for the oldest item not settled yet; when it fires, it rejects every item past its deadline and is set again. */
  private armDeadline(): void {
    if (this.deadlineTimer) return;
    const oldest = this.inFlight.find((p) => !p.settled) ?? this.queue[0];
    if (!oldest) return;
    this.deadlineTimer = setTimeout(() => this.expire(), Math.max(0, oldest.deadline - Date.now()));
  }

  private expire(): void {
    this.deadlineTimer = undefined;
    const now = Date.now();
    const timedOut = { error: new BatcherTimeoutError(this.options.timeoutMs) };
    for (const p of this.inFlight) if (p.deadline <= now) settle(p, timedOut);
    while (this.queue[0] && this.queue[0].deadline <= now) settle(this.queue.shift()!, timedOut);
    this.armDeadline();
  }
}

function settle<T>(p: Pending<T>, failure?: { error: unknown }): void {
  if (p.settled) return;
  p.settled = true;
  if (failure) p.reject(failure.error);
  else p.resolve();
}

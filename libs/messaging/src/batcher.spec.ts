import { Batcher, BatcherFullError, BatcherTimeoutError } from './batcher';

describe('Batcher', () => {
  it('coalesces concurrent items into batches of at most maxBatchSize, settling each item with its batch', async () => {
    const batches: number[][] = [];
    const batcher = new Batcher<number>(async (items) => void batches.push(items), {
      lingerMs: 5,
      maxBatchSize: 3,
      maxPending: 100,
      timeoutMs: 5_000,
    });
    await Promise.all([1, 2, 3, 4, 5, 6, 7].map((n) => batcher.enqueue(n)));
    expect(batches.flat()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(batches.every((b) => b.length <= 3)).toBe(true);
    expect(batches.length).toBeLessThan(7);
  });

  it('rejects every item of a failed batch, and only those', async () => {
    let calls = 0;
    const batcher = new Batcher<string>(
      async () => {
        if (++calls === 1) throw new Error('broker down');
      },
      { lingerMs: 1, maxBatchSize: 10, maxPending: 100, timeoutMs: 5_000 },
    );
    const first = Promise.allSettled([batcher.enqueue('a'), batcher.enqueue('b')]);
    expect((await first).map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await expect(batcher.enqueue('c')).resolves.toBeUndefined();
  });

  it('refuses items beyond maxPending at once, bounding memory', async () => {
    const slowFlush = () => new Promise<void>((resolve) => setTimeout(resolve, 20));
    const batcher = new Batcher<number>(slowFlush, { lingerMs: 0, maxBatchSize: 1, maxPending: 2, timeoutMs: 5_000 });
    const pending = [batcher.enqueue(1), batcher.enqueue(2)];
    await expect(batcher.enqueue(3)).rejects.toBeInstanceOf(BatcherFullError);
    await Promise.all(pending);
    await expect(batcher.enqueue(4)).resolves.toBeUndefined();
  });

  it('is idle only once every item enqueued before has been flushed', async () => {
    const flushed: number[] = [];
    const batcher = new Batcher<number>(
      async (items) => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        flushed.push(...items);
      },
      { lingerMs: 5, maxBatchSize: 2, maxPending: 100, timeoutMs: 5_000 },
    );
    for (const n of [1, 2, 3]) void batcher.enqueue(n);
    await batcher.idle();
    expect(flushed).toEqual([1, 2, 3]);
    await expect(batcher.idle()).resolves.toBeUndefined();
  });

  it('rejects an item its flush has not settled in timeoutMs, and never flushes one that timed out while waiting', async () => {
    const flushed: string[][] = [];
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    const batcher = new Batcher<string>(
      async (items) => {
        flushed.push(items);
        await stuck; // the first send hangs, as to a broker that went away mid-request
      },
      { lingerMs: 1, maxBatchSize: 10, maxPending: 100, timeoutMs: 50 },
    );
    const inFlight = batcher.enqueue('in flight');
    await new Promise((resolve) => setTimeout(resolve, 10)); // its batch has left
    const waiting = batcher.enqueue('waiting');
    await expect(inFlight).rejects.toBeInstanceOf(BatcherTimeoutError);
    await expect(waiting).rejects.toThrow('not flushed within 50 ms');
    expect(batcher.pending).toBe(1); // the send still in flight holds its item until it settles
    release();
    await batcher.idle();
    expect(flushed).toEqual([['in flight']]);
    await expect(batcher.enqueue('after')).resolves.toBeUndefined();
    expect(flushed).toEqual([['in flight'], ['after']]);
  });

  it('times each item from its own enqueue: a later one waits its full timeout', async () => {
    let release!: () => void;
    const batcher = new Batcher<string>(
      (items) => (items[0] === 'first' ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve()),
      { lingerMs: 0, maxBatchSize: 1, maxPending: 100, timeoutMs: 100 },
    );
    const first = batcher.enqueue('first');
    await new Promise((resolve) => setTimeout(resolve, 60));
    const second = batcher.enqueue('second'); // queued behind the stuck first batch
    await expect(first).rejects.toBeInstanceOf(BatcherTimeoutError);
    release(); // ~100 ms: the second is still within its time and is flushed
    await expect(second).resolves.toBeUndefined();
  });
});

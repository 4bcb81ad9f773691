import type { ConsumedRecord } from './consumed-record';
import { FetchMerger } from './fetch-merger';
import type { RecordBatch } from './pipeline';

const record = (partition: number, offset: number): ConsumedRecord => ({
  topic: 'orders',
  partition,
  offset: String(offset),
  key: undefined,
  headers: {},
  value: null,
  timestamp: 0,
});
const offsets = (batch: RecordBatch) => batch.map((r) => `${r.partition}@${r.offset}`);

describe('FetchMerger', () => {
  it('hands batches given in the same turn of the event loop over as one, each partition in offset order', async () => {
    const handled: string[][] = [];
    const merger = new FetchMerger(async (batch) => void handled.push(offsets(batch)));
    await Promise.all([merger.merge([record(0, 5), record(0, 6)]), merger.merge([record(3, 9)])]);
    expect(handled).toEqual([['0@5', '0@6', '3@9']]);
  });

  it('starts a new batch for records given after the joined one left', async () => {
    const handled: string[][] = [];
    let release!: () => void;
    const merger = new FetchMerger(async (batch) => {
      handled.push(offsets(batch));
      if (handled.length === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    const first = merger.merge([record(0, 1)]);
    await new Promise((resolve) => setImmediate(resolve));
    const second = merger.merge([record(1, 1)]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(handled).toEqual([['0@1'], ['1@1']]); // the second did not wait for the first: another partition
    release();
    await Promise.all([first, second]);
  });

  it('fails every partition of a joined batch that failed', async () => {
    const merger = new FetchMerger(async () => {
      throw new Error('downstream away');
    });
    const outcomes = await Promise.allSettled([merger.merge([record(0, 1)]), merger.merge([record(1, 1)])]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
  });
});

import { PoisonRecordError } from '../cloud-events';
import type { ConsumerMetrics } from './consumer-metrics';
import { BackpressureError } from './backpressure';
import type { ConsumedRecord } from './consumed-record';
import type { EventDecoder } from './dispatch';
import { compose, type RecordBatch } from './pipeline';
import { isolate, redeliver, retry, splitAtPoison } from './policies';
import { retryDelayMs, type Redelivery } from './redelivery';

const record = (offset: number): ConsumedRecord => ({
  topic: 'orders',
  partition: 0,
  offset: String(offset),
  key: 'k',
  headers: {},
  value: null,
  timestamp: 0,
});
const offsets = (batch: RecordBatch) => batch.map((r) => r.offset);
const metrics = { redirected: jest.fn(), processed: jest.fn(), paused: jest.fn() } as unknown as ConsumerMetrics;

/** A handler that remembers the batches it got and fails those `fails` picks. */
function handler(fails: (batch: RecordBatch) => Error | undefined = () => undefined) {
  const calls: string[][] = [];
  const handle = async (batch: RecordBatch) => {
    calls.push(offsets(batch));
    const error = fails(batch);
    if (error) throw error;
  };
  return { calls, handle };
}

describe('retry policy', () => {
  it('retries a failing handler in place up to its attempts, then lets the error through', async () => {
    const h = handler(() => new Error('db down'));
    await expect(compose([retry({ attempts: 3, initialBackoffMs: 0 })], h.handle)([record(7)])).rejects.toThrow('db down');
    expect(h.calls).toEqual([['7'], ['7'], ['7']]);
  });

  it('stops retrying once the handler succeeds', async () => {
    let failures = 1;
    const h = handler(() => (failures-- > 0 ? new Error('blip') : undefined));
    await compose([retry({ attempts: 5, initialBackoffMs: 0 })], h.handle)([record(7)]);
    expect(h.calls).toHaveLength(2);
  });

  it.each([new PoisonRecordError('invalid-json', 'x'), new BackpressureError('open', 10)])('never retries %p', async (error) => {
    const h = handler(() => error);
    await expect(compose([retry({ attempts: 5, initialBackoffMs: 0 })], h.handle)([record(7)])).rejects.toBe(error);
    expect(h.calls).toHaveLength(1);
  });
});

describe('redeliver policy', () => {
  const send = jest.fn().mockResolvedValue('retry');
  const redelivery = { send } as unknown as Redelivery;
  beforeEach(() => send.mockClear());

  it('moves a failed record out of the partition instead of failing', async () => {
    const error = new Error('still failing');
    await compose([redeliver(redelivery, metrics)], () => Promise.reject(error))([record(7)]);
    expect(send).toHaveBeenCalledWith(record(7), error);
  });

  it('lets a failed batch through, for isolate to split, and backpressure, for the runtime to pause', async () => {
    await expect(compose([redeliver(redelivery, metrics)], () => Promise.reject(new Error('x')))([record(1), record(2)])).rejects.toThrow(
      'x',
    );
    const error = new BackpressureError('breaker open', 1000);
    await expect(compose([redeliver(redelivery, metrics)], () => Promise.reject(error))([record(7)])).rejects.toBe(error);
    expect(send).not.toHaveBeenCalled();
  });
});

describe('isolate policy', () => {
  it('hands a failed batch over again one record at a time', async () => {
    const h = handler((batch) => (batch.length > 1 ? new Error('one of them is bad') : undefined));
    await compose([isolate(() => undefined)], h.handle)([record(0), record(1), record(2)]);
    expect(h.calls).toEqual([['0', '1', '2'], ['0'], ['1'], ['2']]);
  });

  it('does not split for backpressure', async () => {
    const error = new BackpressureError('breaker open', 1000);
    const h = handler(() => error);
    await expect(compose([isolate(() => undefined)], h.handle)([record(0), record(1)])).rejects.toBe(error);
    expect(h.calls).toEqual([['0', '1']]);
  });
});

describe('splitAtPoison policy', () => {
  it('cuts the batch at each undecodable record, which passes on alone', async () => {
    const decoder = { decodes: (r: ConsumedRecord) => r.offset !== '2' && r.offset !== '3' } as unknown as EventDecoder;
    const h = handler();
    await compose([splitAtPoison(decoder)], h.handle)([0, 1, 2, 3, 4].map(record));
    expect(h.calls).toEqual([['0', '1'], ['2'], ['3'], ['4']]);
  });
});

describe('retryDelayMs', () => {
  it('doubles per delivery within ±50 % jitter', () => {
    expect(retryDelayMs(2, 1000, () => 0.5)).toBe(1000);
    expect(retryDelayMs(3, 1000, () => 0.5)).toBe(2000);
    expect(retryDelayMs(4, 1000, () => 0)).toBe(2000);
    expect(retryDelayMs(4, 1000, () => 0.999)).toBeLessThan(6000);
  });
});

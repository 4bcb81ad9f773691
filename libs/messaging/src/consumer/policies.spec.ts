import { UndecodableEventError } from '@fanout/contracts';
import type { ConsumerMetrics } from './consumer-metrics';
import { BackpressureError } from './backpressure';
import { compose, type ConsumedRecord } from './consumed-record';
import { redeliver, retry } from './policies';
import { retryDelayMs, type Redelivery } from './redelivery';

const record: ConsumedRecord = { topic: 'orders', partition: 0, offset: '7', key: 'k', headers: {}, value: null, timestamp: 0 };
const metrics = { redirected: jest.fn(), processed: jest.fn(), paused: jest.fn() } as unknown as ConsumerMetrics;

describe('retry policy', () => {
  it('retries a failing handler in place up to its attempts, then lets the error through', async () => {
    const handler = jest.fn().mockRejectedValue(new Error('db down'));
    await expect(compose([retry({ attempts: 3, initialBackoffMs: 0 })], handler)(record)).rejects.toThrow('db down');
    expect(handler).toHaveBeenCalledTimes(3);
  });

  it('stops retrying once the handler succeeds', async () => {
    const handler = jest.fn().mockRejectedValueOnce(new Error('blip')).mockResolvedValue(undefined);
    await compose([retry({ attempts: 5, initialBackoffMs: 0 })], handler)(record);
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it.each([new UndecodableEventError('invalid-json', 'x'), new BackpressureError('open', 10)])('never retries %p', async (error) => {
    const handler = jest.fn().mockRejectedValue(error);
    await expect(compose([retry({ attempts: 5, initialBackoffMs: 0 })], handler)(record)).rejects.toBe(error);
    expect(handler).toHaveBeenCalledTimes(1);
  });
});

describe('redeliver policy', () => {
  const send = jest.fn().mockResolvedValue('retry');
  const redelivery = { send } as unknown as Redelivery;

  it('moves a failed record out of the partition instead of failing the batch', async () => {
    const error = new Error('still failing');
    await compose([redeliver(redelivery, metrics)], () => Promise.reject(error))(record);
    expect(send).toHaveBeenCalledWith(record, error);
  });

  it('lets backpressure through so the runtime pauses the partition', async () => {
    send.mockClear();
    const error = new BackpressureError('breaker open', 1000);
    await expect(compose([redeliver(redelivery, metrics)], () => Promise.reject(error))(record)).rejects.toBe(error);
    expect(send).not.toHaveBeenCalled();
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

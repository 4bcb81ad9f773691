import { EventEmitter } from 'node:events';
import type { Consumer } from 'kafkajs';
import { ConsumerHealth } from './consumer-health';

const events = { GROUP_JOIN: 'join', REBALANCING: 'rebalancing', FETCH_START: 'fetch_start', CRASH: 'crash', STOP: 'stop' };

function fakeConsumer() {
  const emitter = new EventEmitter();
  const consumer = { events, on: (event: string, listener: (e: unknown) => void) => emitter.on(event, listener) } as unknown as Consumer;
  return { consumer, emit: (event: string, payload: object = {}) => emitter.emit(event, { payload }) };
}

describe('ConsumerHealth', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => (clock = 1_000_000));

  it('is ready once joined, and names its partitions', () => {
    const { consumer, emit } = fakeConsumer();
    const health = new ConsumerHealth(consumer, 60_000, now);
    emit(events.GROUP_JOIN, { memberAssignment: { orders: [0, 1, 2], 'orders.retry.g': [4] } });
    expect(health.readiness()).toEqual({ ready: true, detail: 'joined, 4 partition(s)' });
  });

  it('turns not-ready when the fetch loop stops turning, and ready again when it turns', () => {
    const { consumer, emit } = fakeConsumer();
    const health = new ConsumerHealth(consumer, 60_000, now);
    emit(events.GROUP_JOIN, { memberAssignment: { orders: [0] } });
    clock += 75_000;
    expect(health.readiness()).toEqual({ ready: false, detail: 'joined, no fetch for 75 s' });
    emit(events.FETCH_START);
    expect(health.readiness().ready).toBe(true);
  });

  it('stays ready through a crash kafkajs restarts from, not through one it does not', () => {
    const { consumer, emit } = fakeConsumer();
    const health = new ConsumerHealth(consumer, 60_000, now);
    emit(events.CRASH, { error: new Error('coordinator moved'), restart: true });
    expect(health.readiness()).toEqual({ ready: true, detail: 'restarting' });
    emit(events.CRASH, { error: new Error('not retriable'), restart: false });
    expect(health.readiness()).toEqual({ ready: false, detail: 'crashed: not retriable' });
  });

  it('is not ready once stopped', () => {
    const { consumer, emit } = fakeConsumer();
    const health = new ConsumerHealth(consumer, 60_000, now);
    emit(events.STOP);
    expect(health.readiness()).toEqual({ ready: false, detail: 'stopped' });
  });
});

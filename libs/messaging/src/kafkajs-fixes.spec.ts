import { applyKafkajsFixes } from './kafkajs-fixes';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- kafkajs's internal queue, the thing the fix changes
const RequestQueue = require('kafkajs/src/network/requestQueue') as new (options: object) => {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  push(request: { entry: { correlationId: number }; expectResponse: boolean; sendRequest: () => void }): void;
  destroy(): void;
};

applyKafkajsFixes();

const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const newQueue = () => new RequestQueue({ maxInFlightRequests: 1, requestTimeout: 1_000, clientId: 'spec', broker: 'b:1', logger });

describe('kafkajs RequestQueue with the timer-loop fix', () => {
  it('arms no timer when nothing is pending (kafkajs 2.2.4 re-armed one every millisecond)', () => {
    const queue = newQueue();
    queue.checkPendingRequests();
    expect(queue.throttleCheckTimeoutId).toBeNull();
    queue.destroy();
  });

  it('sends a request held back by a throttle when the throttle ends', () => {
    jest.useFakeTimers();
    try {
      const queue = newQueue();
      queue.throttledUntil = Date.now() + 500;
      const sendRequest = jest.fn();
      queue.push({ entry: { correlationId: 1 }, expectResponse: true, sendRequest });
      expect(queue.pending).toHaveLength(1);
      jest.advanceTimersByTime(499);
      expect(sendRequest).not.toHaveBeenCalled();
      jest.advanceTimersByTime(1);
      expect(sendRequest).toHaveBeenCalledTimes(1);
      queue.destroy();
    } finally {
      jest.useRealTimers();
    }
  });
});

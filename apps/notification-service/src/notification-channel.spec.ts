import { setTimeout as sleep } from 'node:timers/promises';
import { BackpressureError } from '@fanout/messaging';
import { ChannelFailedError, NotificationChannel } from './notification-channel';

const notification = { kind: 'order-confirmed', orderId: 'o-1', recipient: 'c-1', message: 'hi' } as const;
const outcome = (channel: NotificationChannel) =>
  channel.send(notification, 'key-1').then(
    () => 'sent',
    (error: Error) => (error instanceof BackpressureError ? 'wait' : error instanceof ChannelFailedError ? 'failed' : error.message),
  );

describe('NotificationChannel', () => {
  it("fails a message only while the breaker stays closed: the failure that opens it, and a failed half-open probe, mean 'wait'", async () => {
    const channel = new NotificationChannel({ latencyMs: 0, breakerThreshold: 2, breakerHalfOpenAfterMs: 50 });
    channel.failing = true;
    expect(await outcome(channel)).toBe('failed'); // one failure: the message's, as far as anyone knows
    expect(await outcome(channel)).toBe('wait'); // the second opens the breaker: the channel is down
    expect(await outcome(channel)).toBe('wait'); // open: fails fast
    await sleep(60);
    expect(await outcome(channel)).toBe('wait'); // the half-open probe fails: open again, not a delivery spent
    channel.failing = false;
    await sleep(60);
    expect(await outcome(channel)).toBe('sent');
    expect(channel.breakerState).toBe('Closed');
  });
});

import { setTimeout as sleep } from 'node:timers/promises';
import { BrokenCircuitError, circuitBreaker, CircuitState, ConsecutiveBreaker, handleAll, type CircuitBreakerPolicy } from 'cockatiel';
import { BackpressureError } from '@fanout/messaging';

export interface Notification {
  kind: 'order-confirmed' | 'order-cancelled';
  orderId: string;
  recipient: string;
  message: string;
}

export interface ChannelOptions {
  latencyMs: number;
  /** Consecutive failures that open the breaker. */
  breakerThreshold: number;
  /** How long the breaker stays open before a half-open probe. */
  breakerHalfOpenAfterMs: number;
}

export class ChannelFailedError extends Error {
  constructor() {
    super('the notification channel refused the message (failure switch is on)');
    this.name = 'ChannelFailedError';
  }
}

/**
 * The outbound channel (e-mail, SMS, push in a real deployment). Here it is simulated: it takes
 * `latencyMs` and delivers to nobody; the delivery log in PostgreSQL is the record. A switch makes it
 * fail on demand. A circuit breaker guards it: once open, sends fail fast with BackpressureError,
 * so the consumer pauses its partitions instead of flooding the retry topic.
 */
export class NotificationChannel {
  /** The failure switch: while on, every send fails (PUT /channel/failure). */
  failing = false;
  private readonly breaker: CircuitBreakerPolicy;

  constructor(private readonly options: ChannelOptions) {
    this.breaker = circuitBreaker(handleAll, {
      halfOpenAfter: options.breakerHalfOpenAfterMs,
      breaker: new ConsecutiveBreaker(options.breakerThreshold),
    });
  }

  /** Closed, Open, HalfOpen or Isolated. */
  get breakerState(): string {
    return CircuitState[this.breaker.state];
  }

  /** `idempotencyKey`: what a real provider dedups on, so a send repeated after a crash reaches nobody twice. */
  async send(notification: Notification, idempotencyKey: string): Promise<void> {
    try {
      await this.breaker.execute(() => this.deliver(notification, idempotencyKey));
    } catch (error) {
      // Open now (this failure opened it, or a half-open probe failed) or before: the channel is down, not
      // this message, so it waits instead of spending one of its deliveries on the way to a dead letter.
      if (error instanceof BrokenCircuitError || this.breaker.state === CircuitState.Open) {
        throw new BackpressureError('notification channel circuit is open', this.options.breakerHalfOpenAfterMs);
      }
      throw error;
    }
  }

  /** A real channel would hand `idempotencyKey` to the provider; the simulation only takes its time. */
  private async deliver(_notification: Notification, _idempotencyKey: string): Promise<void> {
    if (this.options.latencyMs > 0) await sleep(this.options.latencyMs);
    if (this.failing) throw new ChannelFailedError();
  }
}

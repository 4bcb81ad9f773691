/**
 * Thrown by a handler whose downstream is unavailable (an open circuit breaker): the record is not
 * failed, retried or dead-lettered; its partition pauses for `retryAfterMs`, then the record is tried again.
 */
export class BackpressureError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
    this.name = 'BackpressureError';
  }
}

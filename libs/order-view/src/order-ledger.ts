import Redis from 'ioredis';

const DAY_S = 24 * 60 * 60;

/**
 * What order-service itself must remember of orders, in Redis (shared by its instances):
 * - which order an Idempotency-Key created (24 h), so a client that retries a POST gets the same order
 *   id and no second event; the first request claims the key atomically (SET NX);
 * - which orders it accepted, and for which customer (7 days), so a cancel may follow before the read
 *   model shows the order, while a cancel of an order nobody accepted, or another customer's, is refused;
 * - which orders it cancelled (7 days), so a second cancel publishes nothing.
 * Its keys start with `ledger:`, which only order-service's Redis user may touch.
 */
export class OrderLedger {
  private readonly redis: Redis;

  constructor(url: string) {
    this.redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3, enableAutoPipelining: true });
  }

  connect(): Promise<void> {
    return this.redis.connect();
  }

  /** Claims `key` for `orderId`; returns the order id that already holds it, or undefined if this claim won. */
  async claimIdempotencyKey(key: string, orderId: string): Promise<string | undefined> {
    if (await this.claim(`ledger:idempotency:${key}`, orderId, DAY_S)) return undefined;
    return (await this.redis.get(`ledger:idempotency:${key}`)) ?? undefined;
  }

  /** Frees a key whose publish failed, so the client's retry can publish. */
  releaseIdempotencyKey(key: string, orderId: string): Promise<void> {
    return this.release(`ledger:idempotency:${key}`, orderId);
  }

  async recordAccepted(orderId: string, customerId: string): Promise<void> {
    await this.redis.set(`ledger:accepted:${orderId}`, customerId, 'EX', 7 * DAY_S);
  }

  async forgetAccepted(orderId: string): Promise<void> {
    await this.redis.del(`ledger:accepted:${orderId}`);
  }

  /** The customer of an order accepted here, or undefined if it was not. */
  async customerOf(orderId: string): Promise<string | undefined> {
    return (await this.redis.get(`ledger:accepted:${orderId}`)) ?? undefined;
  }

  /** True for the first cancel of an order: only that one publishes. */
  claimCancel(orderId: string): Promise<boolean> {
    return this.claim(`ledger:cancelled:${orderId}`, '1', 7 * DAY_S);
  }

  /** Frees a cancel whose publish failed, so a retry can publish it. */
  releaseCancel(orderId: string): Promise<void> {
    return this.release(`ledger:cancelled:${orderId}`, '1');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit();
  }

  private async claim(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    return (await this.redis.set(key, value, 'EX', ttlSeconds, 'NX')) === 'OK';
  }

  private async release(key: string, value: string): Promise<void> {
    if ((await this.redis.get(key)) === value) await this.redis.del(key);
  }
}

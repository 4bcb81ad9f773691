import Redis from 'ioredis';

/**
 * Remembers which order an Idempotency-Key created (Redis, 24 h), so a client that retries a POST
 * gets the same order id and no second event. The first request claims the key atomically (SET NX).
 */
export class IdempotencyKeys {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly ttlSeconds = 24 * 60 * 60,
  ) {
    this.redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  }

  connect(): Promise<void> {
    return this.redis.connect();
  }

  /** Claims `key` for `orderId`; returns the order id that already holds it, or undefined if this claim won. */
  async claim(key: string, orderId: string): Promise<string | undefined> {
    const won = await this.redis.set(IdempotencyKeys.redisKey(key), orderId, 'EX', this.ttlSeconds, 'NX');
    if (won === 'OK') return undefined;
    return (await this.redis.get(IdempotencyKeys.redisKey(key))) ?? undefined;
  }

  /** Frees a key whose publish failed, so the client's retry can publish. */
  async release(key: string, orderId: string): Promise<void> {
    const redisKey = IdempotencyKeys.redisKey(key);
    if ((await this.redis.get(redisKey)) === orderId) await this.redis.del(redisKey);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit();
  }

  private static redisKey(key: string): string {
    return `idempotency:order:${key}`;
  }
}

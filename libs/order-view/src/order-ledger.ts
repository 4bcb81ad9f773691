import Redis from 'ioredis';

const DAY_S = 24 * 60 * 60;

/** What an Idempotency-Key holds. */
export interface KeyedOrder {
  /** The order the key created, and when: an event published again for it is the same event. */
  orderId: string;
  createdAt: string;
  /** A digest of the request the key was first sent with: the key may not be reused for another order. */
  request: string;
  /**
   * pending: a request is publishing the order (since `since`); failed: its publish failed, and the
   * record may or may not have landed; published: Kafka acknowledged it.
   */
  state: 'pending' | 'failed' | 'published';
  /** When the state was set (ms since the epoch). */
  since: number;
}

/** What a claim of an Idempotency-Key found: `won` if this request holds the key now (to publish). */
export interface KeyClaim {
  won: boolean;
  order: KeyedOrder;
}

/** Sets KEYS[1] to ARGV[2], keeping its time to live, only if it still holds ARGV[1]: one request takes a key over. */
const COMPARE_AND_SET = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL') end return false`;

/**
 * What order-service itself must remember of orders, in Redis (shared by its instances):
 * - which order an Idempotency-Key created (24 h), and how far its publish got, so a client that retries a
 *   POST gets the same order id, and its event is published again only after a failed or abandoned
 *   publish; the first request claims the key atomically (SET NX), a later one takes it over (compare and set);
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

  /** Claims a new `key` for `order`; otherwise returns what the key holds, not won. */
  async claimIdempotencyKey(key: string, order: Pick<KeyedOrder, 'orderId' | 'createdAt' | 'request'>): Promise<KeyClaim> {
    const claimed: KeyedOrder = { ...order, state: 'pending', since: Date.now() };
    if (await this.claim(idempotencyKey(key), JSON.stringify(claimed), DAY_S)) return { won: true, order: claimed };
    const held = await this.redis.get(idempotencyKey(key));
    if (held === null) return this.claimIdempotencyKey(key, order); // expired in between
    return { won: false, order: held.startsWith('{') ? (JSON.parse(held) as KeyedOrder) : fromBareOrderId(held, order.request) };
  }

  /**
   * Takes over a key whose publish failed or was abandoned, if no other request did since `held` was read
   * (`held` was parsed from JSON this ledger wrote, so stringifying it gives back the text read).
   */
  async takeOverIdempotencyKey(key: string, held: KeyedOrder): Promise<KeyClaim> {
    const order: KeyedOrder = { ...held, state: 'pending', since: Date.now() };
    const won = (await this.redis.eval(COMPARE_AND_SET, 1, idempotencyKey(key), JSON.stringify(held), JSON.stringify(order))) === 'OK';
    return { won, order };
  }

  /** Records how the publish of a key's order ended (by the request holding the key). */
  async settleIdempotencyKey(key: string, order: KeyedOrder, state: 'failed' | 'published'): Promise<void> {
    await this.redis.set(idempotencyKey(key), JSON.stringify({ ...order, state, since: Date.now() }), 'KEEPTTL', 'XX');
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

const idempotencyKey = (key: string) => `ledger:idempotency:${key}`;

/**
 * A key claimed before the ledger kept its publish's state holds the bare order id: that request
 * published it (or released the key on failure), so it counts as published, for whichever order is asked.
 */
const fromBareOrderId = (orderId: string, request: string): KeyedOrder => ({
  orderId,
  createdAt: '',
  request,
  state: 'published',
  since: 0,
});

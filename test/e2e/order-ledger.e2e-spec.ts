import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Redis from 'ioredis';
import { redisSecret, redisUrl as serviceRedisUrl, secretPath, withPassword } from '@fanout/local-stack';
import { OrderLedger } from '@fanout/order-view';
import { redisUrl, settings } from './support/env';

/** Idempotency-Keys in the ledger, against the real Redis, as order-service's own ACL user. */
describe('OrderLedger idempotency keys', () => {
  const ledger = new OrderLedger(
    withPassword(serviceRedisUrl(settings, 'order-service'), readFileSync(secretPath(settings, redisSecret('order-service')), 'utf8')),
  );
  const admin = new Redis(redisUrl);
  const order = () => ({ orderId: randomUUID(), createdAt: new Date().toISOString(), request: 'digest' });

  beforeAll(() => ledger.connect());
  afterAll(async () => {
    admin.disconnect();
    await ledger.onApplicationShutdown();
  });

  it('lets one request claim a key, and shows the others what it holds until its publish settles', async () => {
    const key = randomUUID();
    const first = order();
    const claims = await Promise.all([ledger.claimIdempotencyKey(key, first), ledger.claimIdempotencyKey(key, order())]);
    expect(claims.map((c) => c.won).sort()).toEqual([false, true]);
    expect(claims.map((c) => c.order.orderId)).toEqual([first.orderId, first.orderId]);
    const { order: held } = claims.find((c) => c.won)!;
    await ledger.settleIdempotencyKey(key, held, 'published');
    expect((await ledger.claimIdempotencyKey(key, order())).order).toEqual(expect.objectContaining({ ...first, state: 'published' }));
    expect(await admin.ttl(`ledger:idempotency:${key}`)).toBeGreaterThan(23 * 60 * 60); // settling kept the 24 h
  });

  it('lets exactly one of two requests take over a key whose publish failed', async () => {
    const key = randomUUID();
    const { order: claimed } = await ledger.claimIdempotencyKey(key, order());
    await ledger.settleIdempotencyKey(key, claimed, 'failed');
    const { order: failed } = await ledger.claimIdempotencyKey(key, order());
    expect(failed.state).toBe('failed');
    const takeOvers = await Promise.all([ledger.takeOverIdempotencyKey(key, failed), ledger.takeOverIdempotencyKey(key, failed)]);
    expect(takeOvers.map((t) => t.won).sort()).toEqual([false, true]);
    expect((await ledger.claimIdempotencyKey(key, order())).order).toEqual(
      expect.objectContaining({ orderId: claimed.orderId, state: 'pending' }),
    );
  });

  it('reads a key claimed before it kept its state (a bare order id) as published', async () => {
    const key = randomUUID();
    const orderId = randomUUID();
    await admin.set(`ledger:idempotency:${key}`, orderId, 'EX', 60);
    expect(await ledger.claimIdempotencyKey(key, order())).toEqual({
      won: false,
      order: expect.objectContaining({ orderId, state: 'published' }),
    });
  });
});

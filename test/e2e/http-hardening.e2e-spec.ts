import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { customer } from './support/auth';
import { orderServiceUrl, redisUrl } from './support/env';
import { inParallel } from './support/orders';

/** The stack's defaults: 100 requests per customer per 10 s window. */
const CUSTOMER_LIMIT = 100;

/** Rate limits per caller, counted in Redis (so every instance shares the count); security headers; CORS closed. */
describe('HTTP hardening', () => {
  const redis = new Redis(redisUrl, { lazyConnect: true });
  afterAll(() => redis.quit());

  it('answers 429 with Retry-After once a customer spends its window, and only that customer', async () => {
    const greedyId = `greedy-${Date.now()}`;
    const greedy = await customer(greedyId);
    const statuses = await inParallel(Array.from({ length: CUSTOMER_LIMIT + 5 }), 10, async () => {
      const response = await fetch(`${orderServiceUrl}/orders/${randomUUID()}`, { headers: greedy });
      return { status: response.status, retryAfter: response.headers.get('retry-after') };
    });
    expect(statuses.filter((s) => s.status === 404)).toHaveLength(CUSTOMER_LIMIT);
    const limited = statuses.filter((s) => s.status === 429);
    expect(limited).toHaveLength(5);
    for (const { retryAfter } of limited) expect(Number(retryAfter)).toBeGreaterThan(0);

    // The count is Redis's, keyed by the token's subject: what a second instance would read too.
    await redis.connect();
    expect(Number(await redis.get(`{rate-limit:order-service:default:sub:${greedyId}:default}:hits`))).toBe(CUSTOMER_LIMIT + 5);

    const other = await fetch(`${orderServiceUrl}/orders/${randomUUID()}`, { headers: await customer(`modest-${Date.now()}`) });
    expect(other.status).toBe(404);
  });

  it('sends security headers, and no CORS grant to a browser origin it was not configured with', async () => {
    const response = await fetch(`${orderServiceUrl}/orders/${randomUUID()}`, {
      headers: { ...(await customer(`headers-${Date.now()}`)), origin: 'https://elsewhere.example' },
    });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

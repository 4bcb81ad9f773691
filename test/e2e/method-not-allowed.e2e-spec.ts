import { randomUUID } from 'node:crypto';
import { backOffice } from './support/auth';
import { orderServiceUrl } from './support/env';

/** HTTP's answers for a path that exists under other methods, and for one that does not exist at all. */
describe('methods a path does not have', () => {
  it.each([
    ['DELETE', '/orders', 'POST'],
    ['PUT', `/orders/${randomUUID()}/cancel`, 'POST'],
    ['QUERY', '/health/live', 'GET, HEAD'],
  ])('%s %s is 405 with Allow: %s', async (method, path, allow) => {
    const response = await fetch(`${orderServiceUrl}${path}`, { method });
    expect({ status: response.status, allow: response.headers.get('allow') }).toEqual({ status: 405, allow });
  });

  it('keeps 404 for a path no method has, and for an order that does not exist', async () => {
    expect((await fetch(`${orderServiceUrl}/no-such-path`)).status).toBe(404);
    expect((await fetch(`${orderServiceUrl}/orders/${randomUUID()}`, { headers: await backOffice() })).status).toBe(404);
  });
});

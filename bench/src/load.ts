import autocannon from 'autocannon';

/** One representative order (two lines): every request creates a new order, ids are server-made. */
export const ORDER_BODY = JSON.stringify({
  customerId: 'customer-42',
  currency: 'EUR',
  items: [
    { sku: 'SKU-1', quantity: 2, unitPrice: '19.99' },
    { sku: 'SKU-7', quantity: 1, unitPrice: '5.00' },
  ],
});

export interface LoadResult {
  connections: number;
  /** Requests per second asked for (paced runs, see paced-load.ts), else undefined: as fast as it answers. */
  targetRate?: number;
  durationS: number;
  requestsPerS: number;
  accepted: number;
  latencyMs: { p50: number; p99: number; max: number };
  non2xx: number;
  errors: number;
}

/** POSTs orders with autocannon for `durationS` seconds, closed loop: each connection sends again once answered. */
export async function postOrders(
  url: string,
  options: { connections: number; durationS: number; authorization?: string },
): Promise<LoadResult> {
  const result = await autocannon({
    url: `${url}/orders`,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(options.authorization ? { authorization: options.authorization } : {}) },
    body: ORDER_BODY,
    connections: options.connections,
    duration: options.durationS,
    timeout: 10,
  });
  return {
    connections: options.connections,
    durationS: result.duration,
    requestsPerS: result['2xx'] / result.duration,
    accepted: result['2xx'],
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

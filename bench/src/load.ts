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
  /** The non-2xx answers and errors by cause (`HTTP 503`, `ECONNRESET`, `request timed out`), so a bad run says why. */
  failures: Record<string, number>;
}

/** Counts one failure under its cause: an HTTP status, or an error's code (its message if it has none). */
export function countFailure(failures: Record<string, number>, cause: number | Error): void {
  const key = typeof cause === 'number' ? `HTTP ${cause}` : ((cause as NodeJS.ErrnoException).code ?? cause.message);
  failures[key] = (failures[key] ?? 0) + 1;
}

/** POSTs orders with autocannon for `durationS` seconds, closed loop: each connection sends again once answered. */
export async function postOrders(
  url: string,
  options: { connections: number; durationS: number; authorization?: string },
): Promise<LoadResult> {
  const failures: Record<string, number> = {};
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const run = autocannon(
      {
        url: `${url}/orders`,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(options.authorization ? { authorization: options.authorization } : {}) },
        body: ORDER_BODY,
        connections: options.connections,
        duration: options.durationS,
        timeout: 10,
      },
      (error, done) => (error ? reject(error as Error) : resolve(done)),
    );
    run.on('reqError', (error: Error) => countFailure(failures, error));
  });
  for (const [status, { count = 0 }] of Object.entries(result.statusCodeStats ?? {})) {
    if (!status.startsWith('2')) failures[`HTTP ${status}`] = count;
  }
  return {
    connections: options.connections,
    durationS: result.duration,
    requestsPerS: result['2xx'] / result.duration,
    accepted: result['2xx'],
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    non2xx: result.non2xx,
    errors: result.errors,
    failures,
  };
}

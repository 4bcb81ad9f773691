import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postOrdersAtRate } from './paced-load';

/** A local HTTP server that answers 202 (or 503 when told) and notes when each request arrived. */
function orderSink(status: number): Promise<{ server: Server; url: string; arrivals: number[] }> {
  const arrivals: number[] = [];
  const server = createServer((req, res) => {
    arrivals.push(performance.now());
    req.resume().on('end', () => res.writeHead(status, { 'content-type': 'application/json' }).end('{}'));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, arrivals })),
  );
}

describe('postOrdersAtRate', () => {
  it('spreads the requests over the whole period instead of sending each second as one burst', async () => {
    const sink = await orderSink(202);
    try {
      const result = await postOrdersAtRate(sink.url, { ratePerS: 200, durationS: 1 });
      expect(result.accepted).toBe(200);
      expect(result.non2xx + result.errors).toBe(0);
      const first = sink.arrivals[0]!;
      const inFirstTenth = sink.arrivals.filter((t) => t - first < 100).length;
      // A burst would land all 200 in the first milliseconds; paced, about 20 arrive in the first 100 ms.
      expect(inFirstTenth).toBeLessThan(100);
      expect(sink.arrivals.at(-1)! - first).toBeGreaterThan(800);
    } finally {
      sink.server.close();
    }
  });

  it('counts answers that are not 2xx apart from accepted orders, by status', async () => {
    const sink = await orderSink(503);
    try {
      const result = await postOrdersAtRate(sink.url, { ratePerS: 100, durationS: 0.2 });
      expect(result).toMatchObject({ accepted: 0, non2xx: 20, errors: 0, failures: { 'HTTP 503': 20 } });
    } finally {
      sink.server.close();
    }
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postOrders } from './load';

/** A local HTTP server that answers every request with `answer`. */
function sink(answer: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(answer);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })),
  );
}

describe('postOrders', () => {
  it('counts answers that are not 2xx by status', async () => {
    const { server, url } = await sink((req, res) => req.resume().on('end', () => res.writeHead(503).end()));
    try {
      const result = await postOrders(url, { connections: 2, durationS: 1 });
      expect(result.accepted).toBe(0);
      expect(result.non2xx).toBeGreaterThan(0);
      expect(result.failures).toEqual({ 'HTTP 503': result.non2xx });
    } finally {
      server.close();
    }
  });

  it('counts connection errors by their code, so a run with errors says which', async () => {
    const { server, url } = await sink((_req, res) => res.end());
    await new Promise((closed) => server.close(closed)); // nothing listens on its port any more
    const result = await postOrders(url, { connections: 2, durationS: 1 });
    expect(result.errors).toBeGreaterThan(0);
    expect(result.failures).toEqual({ ECONNREFUSED: result.errors });
  });
});

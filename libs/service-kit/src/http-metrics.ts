import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Histogram, register, type Registry } from 'prom-client';

/**
 * RED metrics of every HTTP route, as OpenTelemetry's http.server.request.duration under its Prometheus
 * name: rate and errors from the count per status code, duration from the buckets. The route is the
 * pattern (`/orders/:id`), never the raw URL, so ids do not explode the series.
 */
export function recordHttpMetrics(app: NestFastifyApplication, registry: Registry = register): void {
  const duration = new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'Duration of HTTP server requests (http.server.request.duration), by method, route and status code.',
    labelNames: ['http_request_method', 'http_route', 'http_response_status_code'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onResponse', async (request, reply) => {
      duration.observe(
        {
          http_request_method: request.method,
          http_route: request.routeOptions.url ?? 'unmatched',
          http_response_status_code: String(reply.statusCode),
        },
        reply.elapsedTime / 1_000,
      );
    });
}

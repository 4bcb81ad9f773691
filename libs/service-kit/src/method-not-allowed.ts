import type { NestFastifyApplication } from '@nestjs/platform-fastify';

interface RouteShape {
  method: string;
  pattern: RegExp;
}

/** '/orders/:id/cancel' → /^\/orders\/[^/]+\/cancel\/?$/ */
function routePattern(url: string): RegExp {
  const escaped = url.split('/').map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  return new RegExp(`^${escaped.join('/')}/?$`);
}

/**
 * A request whose path exists under other methods gets 405 Method Not Allowed with `Allow`, as HTTP
 * says, not 404 — before any body parsing, so a body-carrying method (QUERY, say) is not refused for
 * its content type first. A 404 a handler throws (no such order) stays a 404. Routes are learnt as
 * Fastify registers them, so this is installed before the app initialises.
 */
export function answerMethodNotAllowed(app: NestFastifyApplication): void {
  const routes: RouteShape[] = [];
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, pattern: routePattern(route.url) });
  });
  fastify.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.url !== undefined) return;
    const path = request.url.split('?')[0]!;
    const allowed = [...new Set(routes.filter((r) => r.pattern.test(path)).map((r) => r.method))].sort();
    if (allowed.length === 0) return;
    await reply
      .status(405)
      .header('allow', allowed.join(', '))
      .send({ statusCode: 405, error: 'Method Not Allowed', message: `${request.method} ${path}: allowed are ${allowed.join(', ')}` });
  });
}

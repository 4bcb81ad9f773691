import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Helmet's security headers, computed once. They depend on the options alone (no nonces here), and
 * @fastify/helmet rebuilt helmet's middleware, CSP parsing included, on every request.
 */
export function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string | number) => (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  };
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return headers;
}

/** Security headers on every answer (helmet's defaults allow Swagger UI and the console: no inline scripts). */
export function sendSecurityHeaders(app: NestFastifyApplication): void {
  // No upgrade-insecure-requests: the dev stack serves plain HTTP on localhost; TLS ends in front of it elsewhere.
  const headers = securityHeaders({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } });
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers);
      done();
    });
}

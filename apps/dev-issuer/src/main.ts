import { Events, OAuth2Server } from 'oauth2-mock-server';

/**
 * The OAuth2 issuer of the dev stack and the tests (never of production, which points OAUTH_ISSUER at a
 * real one): it signs whatever it is asked for, with a key made at start and published at /jwks.
 *
 * - A customer's token: `grant_type=password&username=<customerId>&password=x&scope=orders:write orders:read`
 *   (its `sub` and `customer_id` are the customer; order-service takes the customer from it).
 * - A client's token (a back office, an operator): `grant_type=client_credentials&client_id=<name>&scope=…`
 *   (`fanout:admin` for the operator endpoints).
 */
async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3900);
  const host = process.env.HOST ?? '127.0.0.1';
  const audience = process.env.OAUTH_AUDIENCE ?? 'fanout';
  const server = new OAuth2Server();
  await server.issuer.keys.generate('RS256');
  server.service.on(Events.BeforeTokenSigning, (token, req) => {
    const body = (req as unknown as { body: Record<string, string | undefined> }).body;
    token.payload.aud = audience;
    if (body.grant_type === 'password') token.payload.customer_id = body.username;
    else token.payload.sub = body.client_id ?? 'anonymous-client';
  });
  await server.start(port, host);
  // Tokens name the issuer by the address clients use (in compose, the host's, not the container's).
  if (process.env.OAUTH_ISSUER) server.issuer.url = process.env.OAUTH_ISSUER;
  console.log(`dev OAuth2 issuer ${server.issuer.url} on ${host}:${port} (JWKS at /jwks, tokens at /token)`);
  const stop = () => void server.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main();

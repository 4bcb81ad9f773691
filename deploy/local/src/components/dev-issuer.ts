import { join } from 'node:path';
import { REPO_ROOT, type StackSettings } from '../settings';
import type { Supervised, Supervisor } from '../supervisor';
import { httpOk, waitFor } from '../wait';

/** The dev stack's OAuth2 issuer: the services check bearer tokens against its JWKS. */
export const issuerUrl = (s: StackSettings): string => `http://127.0.0.1:${s.issuerPort}`;

/** Starts apps/dev-issuer (tokens for anyone who asks: dev and tests only) and waits for its JWKS. */
export async function startDevIssuer(s: StackSettings, supervisor: Supervisor): Promise<Supervised> {
  const issuer = supervisor.start({
    name: 'dev-issuer',
    command: process.execPath,
    args: [join(REPO_ROOT, 'apps', 'dev-issuer', 'dist', 'main.js')],
    env: { HOST: '127.0.0.1', PORT: String(s.issuerPort), OAUTH_ISSUER: issuerUrl(s) },
  });
  await waitFor('dev OAuth2 issuer', () => httpOk(`${issuerUrl(s)}/jwks`), { timeoutMs: 20_000, logPath: issuer.logPath });
  return issuer;
}

/** Who a dev token is for: a customer (orders:write and orders:read for its own orders), or a client with scopes. */
export type TokenFor = { customerId: string } | { client: string; scopes: string[] };

/** Asks the dev issuer for an access token, as the README's curl does. */
export async function devToken(s: StackSettings, who: TokenFor): Promise<string> {
  const form: Record<string, string> =
    'customerId' in who
      ? { grant_type: 'password', username: who.customerId, password: 'dev', scope: 'orders:write orders:read' }
      : { grant_type: 'client_credentials', client_id: who.client, scope: who.scopes.join(' ') };
  const response = await fetch(`${issuerUrl(s)}/token`, {
    method: 'POST',
    body: new URLSearchParams(form),
    signal: AbortSignal.timeout(5_000),
  });
  if (!response.ok) throw new Error(`the dev issuer answered ${response.status} for a token: ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

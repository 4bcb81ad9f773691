import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { TokenVerifier } from './token-verifier';

/** A real issuer's JWKS over HTTP, and tokens signed with its key. */
describe('TokenVerifier', () => {
  let server: Server;
  let key: KeyLike;
  let verifier: TokenVerifier;
  const issuer = 'http://issuer.test';
  const sign = (subject: string, expiresInS: number) =>
    new SignJWT({ scope: 'orders:write' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(issuer)
      .setAudience('fanout')
      .setSubject(subject)
      .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInS)
      .sign(key);

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    key = pair.privateKey;
    const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256' }] });
    server = createServer((_, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(jwks));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    verifier = new TokenVerifier({ issuer, audience: 'fanout', jwksUrl: `http://127.0.0.1:${port}/jwks` });
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('remembers a verified token, yet refuses a forged twin and, once its expiry passes, the token itself', async () => {
    const token = await sign('client-a', 2);
    expect((await verifier.verify(token)).subject).toBe('client-a');
    expect((await verifier.verify(token)).scopes.has('orders:write')).toBe(true); // remembered

    const [header, payload] = token.split('.');
    const forged = `${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`;
    await expect(verifier.verify(forged)).rejects.toMatchObject({ status: 401 });

    await sleep(2_100);
    await expect(verifier.verify(token)).rejects.toMatchObject({ status: 401, reason: 'the token has expired' });
  });
});

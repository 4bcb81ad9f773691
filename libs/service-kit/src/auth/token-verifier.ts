import { HttpException, HttpStatus, ServiceUnavailableException } from '@nestjs/common';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Principal } from './principal';

export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  jwksUrl: string;
}

/** A 401 with the RFC 6750 challenge that says why. */
export class InvalidTokenError extends HttpException {
  constructor(readonly reason: string) {
    super({ statusCode: HttpStatus.UNAUTHORIZED, error: 'Unauthorized', message: reason }, HttpStatus.UNAUTHORIZED);
  }
}

/** How long a verified token is taken on trust (never past its expiry): what a key withdrawn by the issuer still lets through. */
const VERIFIED_FOR_MS = 60_000;

/**
 * Checks bearer tokens against the issuer's JWKS (fetched once, refetched for an unknown key id). A client
 * sends the same token with every request: its verification is remembered (the last 10,000 tokens, each
 * for at most VERIFIED_FOR_MS and never past its `exp`), so a signature is checked once, not per request.
 */
export class TokenVerifier {
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;
  private readonly verified = new LRUCache<string, Principal>({ max: 10_000 });

  constructor(private readonly options: TokenVerifierOptions) {
    this.keys = createRemoteJWKSet(new URL(options.jwksUrl), { timeoutDuration: 5_000 });
  }

  async verify(token: string): Promise<Principal> {
    const known = this.verified.get(token);
    if (known) return known;
    const { principal, expiresAt } = await this.check(token);
    const ttl = Math.min(VERIFIED_FOR_MS, expiresAt - Date.now());
    if (ttl > 0) this.verified.set(token, principal, { ttl });
    return principal;
  }

  private async check(token: string): Promise<{ principal: Principal; expiresAt: number }> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, { issuer: this.options.issuer, audience: this.options.audience }));
    } catch (error) {
      throw asHttpError(error);
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') throw new InvalidTokenError('the token has no subject');
    const customerId = payload.customer_id;
    const principal = {
      subject: payload.sub,
      scopes: new Set(typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : []),
      ...(typeof customerId === 'string' && customerId !== '' ? { customerId } : {}),
    };
    // A token without `exp` is remembered for VERIFIED_FOR_MS.
    return { principal, expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : Infinity };
  }
}

function asHttpError(error: unknown): HttpException {
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || !(error instanceof errors.JOSEError)) {
    return new ServiceUnavailableException('the token issuer cannot be reached to check the token; retry later');
  }
  if (error instanceof errors.JWTExpired) return new InvalidTokenError('the token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) return new InvalidTokenError(`the token's ${error.claim} claim is not accepted`);
  return new InvalidTokenError('the token is not a valid signed JWT of this issuer');
}

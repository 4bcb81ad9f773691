import { HttpException, HttpStatus, ServiceUnavailableException } from '@nestjs/common';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
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

/** Checks bearer tokens against the issuer's JWKS (fetched once, refetched for an unknown key id). */
export class TokenVerifier {
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly options: TokenVerifierOptions) {
    this.keys = createRemoteJWKSet(new URL(options.jwksUrl), { timeoutDuration: 5_000 });
  }

  async verify(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, { issuer: this.options.issuer, audience: this.options.audience }));
    } catch (error) {
      throw asHttpError(error);
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') throw new InvalidTokenError('the token has no subject');
    const customerId = payload.customer_id;
    return {
      subject: payload.sub,
      scopes: new Set(typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : []),
      ...(typeof customerId === 'string' && customerId !== '' ? { customerId } : {}),
    };
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

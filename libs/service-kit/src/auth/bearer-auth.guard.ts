import { ForbiddenException, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PUBLIC_ROUTE, REQUIRED_SCOPES } from './decorators';
import type { Principal } from './principal';
import { InvalidTokenError, TokenVerifier } from './token-verifier';

/**
 * Every HTTP route needs a valid bearer token unless marked @Public(), and the scopes its @RequireScopes
 * names: 401 without a valid token, 403 without a scope (each with its WWW-Authenticate challenge).
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true; // Kafka handlers: the broker authenticates those
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { principal?: Principal }>();
    const reply = http.getResponse<FastifyReply>();
    try {
      request.principal = await this.verifier.verify(bearerToken(request.headers.authorization));
    } catch (error) {
      if (error instanceof InvalidTokenError) {
        // RFC 6750: a request without any token gets the bare challenge, a bad token the error too.
        reply.header('WWW-Authenticate', request.headers.authorization ? challenge('invalid_token', error.reason) : REALM);
      }
      throw error;
    }
    const required = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_SCOPES, targets) ?? [];
    const missing = required.filter((scope) => !request.principal!.scopes.has(scope));
    if (missing.length > 0) {
      reply.header('WWW-Authenticate', `${challenge('insufficient_scope', 'the token lacks a scope')}, scope="${required.join(' ')}"`);
      throw new ForbiddenException(`this needs a token with the scope ${missing.join(' and ')}`);
    }
    return true;
  }
}

function bearerToken(header: string | undefined): string {
  const match = /^Bearer +([\w.~+/-]+=*)$/i.exec(header ?? '');
  if (!match) throw new InvalidTokenError(header ? 'the Authorization header is not "Bearer <token>"' : 'no bearer token');
  return match[1]!;
}

const REALM = 'Bearer realm="fanout"';
const challenge = (error: string, description: string) => `${REALM}, error="${error}", error_description="${description}"`;

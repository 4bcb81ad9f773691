import { applyDecorators, createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Principal } from './principal';

export const PUBLIC_ROUTE = 'fanout:public-route';
export const REQUIRED_SCOPES = 'fanout:required-scopes';
export const BEARER_SCHEME = 'bearer';

/** A route anyone may call without a token (health, metrics, the console's page). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** A route that needs a bearer token with every one of `scopes`; documented as such in OpenAPI. */
export const RequireScopes = (...scopes: string[]) =>
  applyDecorators(
    SetMetadata(REQUIRED_SCOPES, scopes),
    ApiBearerAuth(BEARER_SCHEME),
    ApiUnauthorizedResponse({ description: 'No bearer token, or one that is invalid or expired (WWW-Authenticate says why)' }),
    ApiForbiddenResponse({ description: `The token lacks a scope this needs: ${scopes.join(', ')}` }),
    ApiTooManyRequestsResponse({ description: "The caller spent its request budget for the window; retry after Retry-After's seconds" }),
  );

/** The verified caller of a route that required a token. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal => context.switchToHttp().getRequest<{ principal: Principal }>().principal,
);

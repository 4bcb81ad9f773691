import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import type { z } from 'zod';
import { BearerAuthGuard } from './auth/bearer-auth.guard';
import { TokenVerifier } from './auth/token-verifier';
import { configModule } from './config';
import type { BaseEnv } from './env';
import { Draining, HealthController, ReadinessChecks } from './health.controller';
import { loggingModule } from './logging';
import { MetricsController } from './metrics.controller';
import { rateLimitModule, RateLimitGuard } from './rate-limit';
import { TracingShutdown } from './tracing-shutdown';

/**
 * What every service has: validated config, JSON logs, /health/live and /health/ready (the checks its
 * dependencies register in ReadinessChecks), /metrics, span flushing on shutdown, and bearer tokens
 * required on every other route (see auth/), rate-limited per caller.
 */
@Module({})
@Global()
export class ServiceKitModule {
  static forRoot(envSchema: z.ZodType<Record<string, unknown>>): DynamicModule {
    return {
      module: ServiceKitModule,
      imports: [configModule(envSchema), loggingModule(), TerminusModule, rateLimitModule()],
      controllers: [HealthController, MetricsController],
      providers: [
        TracingShutdown,
        Draining,
        ReadinessChecks,
        { provide: TokenVerifier, inject: [ConfigService], useFactory: tokenVerifier },
        // In this order: the rate limit counts per verified caller.
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
      ],
      exports: [Draining, ReadinessChecks],
    };
  }
}

function tokenVerifier(config: ConfigService<BaseEnv, true>): TokenVerifier {
  const issuer = config.get('OAUTH_ISSUER', { infer: true });
  return new TokenVerifier({
    issuer,
    audience: config.get('OAUTH_AUDIENCE', { infer: true }),
    jwksUrl: config.get('OAUTH_JWKS_URL', { infer: true }) ?? `${issuer.replace(/\/$/, '')}/jwks`,
  });
}

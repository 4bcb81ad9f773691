import { Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ThrottlerGuard, ThrottlerModule, type ThrottlerModuleOptions } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { PUBLIC_ROUTE } from './auth/decorators';
import type { Principal } from './auth/principal';
import type { BaseEnv } from './env';
import { redisUrlFromConfig } from './secrets';

type TrackedRequest = { principal?: Principal; ip: string };

const callerOf = (context: ExecutionContext) => context.switchToHttp().getRequest<TrackedRequest>().principal;

/**
 * Requests per client per window, counted in Redis so the limit holds across instances: a customer's
 * token gets RATE_LIMIT_CUSTOMER, a client's (a back office) RATE_LIMIT_CLIENT. Over it: 429 with
 * Retry-After. Runs after the bearer-token guard, so a caller is its token's subject.
 */
export const rateLimitModule = () =>
  ThrottlerModule.forRootAsync({
    inject: [ConfigService],
    useFactory: (config: ConfigService<BaseEnv, true>): ThrottlerModuleOptions => ({
      throttlers: [
        {
          ttl: config.get('RATE_LIMIT_WINDOW_MS', { infer: true }),
          limit: (context) =>
            callerOf(context)?.customerId === undefined
              ? config.get('RATE_LIMIT_CLIENT', { infer: true })
              : config.get('RATE_LIMIT_CUSTOMER', { infer: true }),
        },
      ],
      storage: new ThrottlerStorageRedisService(redisUrlFromConfig(config), {
        enableAutoPipelining: true,
        maxRetriesPerRequest: 3,
        lazyConnect: true, // a service whose routes are all public never connects
      }),
    }),
  });

@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  @Inject(ConfigService) private readonly config!: ConfigService<BaseEnv, true>;

  /** Probes, scrapers and Kafka handlers are not limited. */
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    return this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()]) === true;
  }

  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const { principal, ip } = request as TrackedRequest;
    return principal ? `sub:${principal.subject}` : `ip:${ip}`;
  }

  /**
   * One budget per caller across the service's routes (the default key is per route), under the
   * service's own prefix: its Redis user may touch no other.
   */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttler: string): string {
    return `rate-limit:${this.config.get('OTEL_SERVICE_NAME', { infer: true })}:${throttler}:${tracker}`;
  }
}

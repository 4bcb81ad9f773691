import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ReadinessChecks } from '@fanout/service-kit';
import { IdempotencyKeys } from './idempotency-keys';
import { OrderViewStore } from './order-view-store';

/**
 * Orders in Redis (REDIS_URL): the read model, and on request the idempotency keys. Each store is
 * connected at start and quits on shutdown; the read model's connection is readiness check "redis".
 */
@Module({})
export class OrderViewModule {
  static forRoot({ idempotencyKeys = false }: { idempotencyKeys?: boolean } = {}): DynamicModule {
    const providers = [
      {
        provide: OrderViewStore,
        inject: [ConfigService, ReadinessChecks],
        useFactory: async (config: ConfigService, readiness: ReadinessChecks) => {
          const views = new OrderViewStore(config.getOrThrow<string>('REDIS_URL'));
          await views.connect();
          readiness.registerPing('redis', () => views.ping());
          return views;
        },
      },
      ...(idempotencyKeys
        ? [
            {
              provide: IdempotencyKeys,
              inject: [ConfigService],
              useFactory: async (config: ConfigService) => {
                const keys = new IdempotencyKeys(config.getOrThrow<string>('REDIS_URL'));
                await keys.connect();
                return keys;
              },
            },
          ]
        : []),
    ];
    return { module: OrderViewModule, global: true, providers, exports: providers.map((p) => p.provide) };
  }
}

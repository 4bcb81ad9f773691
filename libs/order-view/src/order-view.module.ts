import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ReadinessChecks, redisUrlFromConfig, type BaseEnv } from '@fanout/service-kit';
import { OrderLedger } from './order-ledger';
import { OrderViewStore } from './order-view-store';

/**
 * Orders in Redis (REDIS_URL as this service's user, REDIS_PASSWORD): the read model, and on request order-service's ledger. Each store is
 * connected at start and quits on shutdown; the read model's connection is readiness check "redis".
 */
@Module({})
export class OrderViewModule {
  static forRoot({ ledger = false }: { ledger?: boolean } = {}): DynamicModule {
    const providers = [
      {
        provide: OrderViewStore,
        inject: [ConfigService, ReadinessChecks],
        useFactory: async (config: ConfigService<BaseEnv, true>, readiness: ReadinessChecks) => {
          const views = new OrderViewStore(redisUrlFromConfig(config));
          await views.connect();
          readiness.registerPing('redis', () => views.ping());
          return views;
        },
      },
      ...(ledger
        ? [
            {
              provide: OrderLedger,
              inject: [ConfigService],
              useFactory: async (config: ConfigService<BaseEnv, true>) => {
                const orders = new OrderLedger(redisUrlFromConfig(config));
                await orders.connect();
                return orders;
              },
            },
          ]
        : []),
    ];
    return { module: OrderViewModule, global: true, providers, exports: providers.map((p) => p.provide) };
  }
}

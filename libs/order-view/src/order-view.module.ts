import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ReadinessChecks, withPassword } from '@fanout/service-kit';
import { OrderLedger } from './order-ledger';
import { OrderViewStore } from './order-view-store';

/**
 * Orders in Redis (REDIS_URL as this service's user, REDIS_PASSWORD): the read model, and on request order-service's ledger. Each store is
 * connected at start and quits on shutdown; the read model's connection is readiness check "redis".
 */
const redisUrl = (config: ConfigService) => withPassword(config.getOrThrow<string>('REDIS_URL'), config.get<string>('REDIS_PASSWORD'));

@Module({})
export class OrderViewModule {
  static forRoot({ ledger = false }: { ledger?: boolean } = {}): DynamicModule {
    const providers = [
      {
        provide: OrderViewStore,
        inject: [ConfigService, ReadinessChecks],
        useFactory: async (config: ConfigService, readiness: ReadinessChecks) => {
          const views = new OrderViewStore(redisUrl(config));
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
              useFactory: async (config: ConfigService) => {
                const orders = new OrderLedger(redisUrl(config));
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

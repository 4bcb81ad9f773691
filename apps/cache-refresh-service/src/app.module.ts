import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { OrderViewStore } from '@fanout/order-view';
import { HEALTH_PINGS, SERVICE_KIT_CONTROLLERS, ServiceKitModule } from '@fanout/service-kit';
import { cacheRefreshEnv, type CacheRefreshEnv } from './config';
import { OrderViewConsumer } from './order-view.consumer';

@Module({
  imports: [ServiceKitModule.forRoot(cacheRefreshEnv)],
  controllers: [...SERVICE_KIT_CONTROLLERS, OrderViewConsumer],
  providers: [
    {
      provide: OrderViewStore,
      inject: [ConfigService],
      useFactory: async (config: ConfigService<CacheRefreshEnv, true>) => {
        const views = new OrderViewStore(config.get('REDIS_URL'));
        await views.connect();
        return views;
      },
    },
    { provide: HEALTH_PINGS, inject: [OrderViewStore], useFactory: (views: OrderViewStore) => ({ redis: () => views.ping() }) },
  ],
})
export class AppModule {}

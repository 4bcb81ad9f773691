import { Module } from '@nestjs/common';
import { HEALTH_PINGS, SERVICE_KIT_CONTROLLERS, ServiceKitModule } from '@fanout/service-kit';
import type { OrderViewStore } from '@fanout/order-view';
import { orderServiceEnv } from './config';
import { OrdersModule } from './orders/orders.module';
import { ORDER_VIEWS } from './orders/tokens';

@Module({
  imports: [ServiceKitModule.forRoot(orderServiceEnv), OrdersModule],
  controllers: SERVICE_KIT_CONTROLLERS,
  providers: [{ provide: HEALTH_PINGS, inject: [ORDER_VIEWS], useFactory: (views: OrderViewStore) => ({ redis: () => views.ping() }) }],
})
export class AppModule {}

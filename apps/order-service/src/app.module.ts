import { Module } from '@nestjs/common';
import { OrderViewModule } from '@fanout/order-view';
import { ServiceKitModule } from '@fanout/service-kit';
import { orderServiceEnv } from './config';
import { OrdersModule } from './orders/orders.module';

@Module({
  imports: [ServiceKitModule.forRoot(orderServiceEnv), OrderViewModule.forRoot({ ledger: true }), OrdersModule],
})
export class AppModule {}

import { Module } from '@nestjs/common';
import { OrderViewModule } from '@fanout/order-view';
import { ServiceKitModule } from '@fanout/service-kit';
import { cacheRefreshEnv } from './config';
import { OrderViewConsumer } from './order-view.consumer';
import { OrderViewsService } from './order-views.service';

@Module({
  imports: [ServiceKitModule.forRoot(cacheRefreshEnv), OrderViewModule.forRoot()],
  controllers: [OrderViewConsumer],
  providers: [OrderViewsService],
})
export class AppModule {}

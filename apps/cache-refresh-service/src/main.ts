import '@fanout/tracing/register';
import { CONSUMER_GROUPS, ORDER_EVENT_SCHEMAS } from '@fanout/contracts';
import { bootstrapService } from '@fanout/service-kit';
import { AppModule } from './app.module';

void bootstrapService(AppModule, {
  openApi: { title: 'Fanout cache-refresh-service', description: 'Keeps the order read model in Redis; health and metrics only.' },
  consumer: { group: CONSUMER_GROUPS.cacheRefresh, events: ORDER_EVENT_SCHEMAS },
});

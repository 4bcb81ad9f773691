import '@fanout/tracing/register';
import { CONSUMER_GROUPS, ORDER_EVENT_SCHEMAS } from '@fanout/contracts';
import { bootstrapService } from '@fanout/service-kit';
import { AppModule } from './app.module';

void bootstrapService(AppModule, {
  openApi: { title: 'Fanout analytics-service', description: 'Aggregates of every order event (operators).' },
  consumer: { group: CONSUMER_GROUPS.analytics, events: ORDER_EVENT_SCHEMAS },
});

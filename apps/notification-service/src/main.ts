import '@fanout/tracing/register';
import { CONSUMER_GROUPS, ORDER_EVENT_SCHEMAS } from '@fanout/contracts';
import { bootstrapService } from '@fanout/service-kit';
import { AppModule } from './app.module';

void bootstrapService(AppModule, {
  openApi: {
    title: 'Fanout notification-service',
    description: "One notification per order event; the channel's state and its fault switch (operators).",
  },
  consumer: { group: CONSUMER_GROUPS.notification, events: ORDER_EVENT_SCHEMAS },
});

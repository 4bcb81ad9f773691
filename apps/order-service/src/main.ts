import '@fanout/tracing/register';
import { bootstrapService, parseEnv } from '@fanout/service-kit';
import { AppModule } from './app.module';
import { orderServiceEnv } from './config';
import { PublishFailureFilter } from './orders/publish-failure.filter';

void bootstrapService(AppModule, {
  bodyLimitBytes: parseEnv(orderServiceEnv).MAX_BODY_BYTES,
  openApi: {
    title: 'Fanout order-service',
    description: 'Submit orders; each becomes one OrderCreated event fanned out to every consumer group.',
  },
  configure: (app) => app.useGlobalFilters(new PublishFailureFilter()),
});

import '@fanout/tracing/register';
import { CONSUMER_GROUPS } from '@fanout/contracts';
import { bootstrapService } from '@fanout/service-kit';
import { AppModule } from './app.module';

void bootstrapService(AppModule, { consumerGroup: CONSUMER_GROUPS.cacheRefresh });

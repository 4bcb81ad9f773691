import '@fanout/tracing/register';
import { ValidationPipe } from '@nestjs/common';
import { CONSUMER_GROUPS, ORDER_EVENT_SCHEMAS } from '@fanout/contracts';
import { bootstrapService } from '@fanout/service-kit';
import { AppModule } from './app.module';

void bootstrapService(AppModule, {
  consumer: { group: CONSUMER_GROUPS.notification, events: ORDER_EVENT_SCHEMAS },
  configure: (app) => app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true })),
});

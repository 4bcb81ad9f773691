import '@fanout/tracing/register';
import { ValidationPipe } from '@nestjs/common';
import { CONSUMER_GROUPS } from '@fanout/contracts';
import { bootstrapService } from '@fanout/service-kit';
import { AppModule } from './app.module';

void bootstrapService(AppModule, {
  consumerGroup: CONSUMER_GROUPS.notification,
  configure: (app) => app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true })),
});

import '@fanout/tracing/register';
import { ValidationPipe } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { bootstrapService, parseEnv } from '@fanout/service-kit';
import { AppModule } from './app.module';
import { orderServiceEnv } from './config';
import { PublishFailureFilter } from './orders/publish-failure.filter';

void bootstrapService(AppModule, {
  bodyLimitBytes: parseEnv(orderServiceEnv).MAX_BODY_BYTES,
  configure: (app) => {
    app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
    app.useGlobalFilters(new PublishFailureFilter());
    const openApi = new DocumentBuilder()
      .setTitle('Fanout order-service')
      .setDescription('Submit orders; each becomes one OrderCreated event fanned out to every consumer group.')
      .build();
    SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, openApi));
  },
});

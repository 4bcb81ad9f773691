import '@fanout/tracing/register';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { bootstrapService, cleanupOpenApiDoc, parseEnv } from '@fanout/service-kit';
import { AppModule } from './app.module';
import { orderServiceEnv } from './config';
import { PublishFailureFilter } from './orders/publish-failure.filter';

void bootstrapService(AppModule, {
  bodyLimitBytes: parseEnv(orderServiceEnv).MAX_BODY_BYTES,
  configure: (app) => {
    app.useGlobalFilters(new PublishFailureFilter());
    const openApi = new DocumentBuilder()
      .setTitle('Fanout order-service')
      .setDescription('Submit orders; each becomes one OrderCreated event fanned out to every consumer group.')
      .build();
    SwaggerModule.setup('docs', app, () => cleanupOpenApiDoc(SwaggerModule.createDocument(app, openApi)));
  },
});

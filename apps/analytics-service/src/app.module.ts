import { Module } from '@nestjs/common';
import { PostgresModule } from '@fanout/postgres';
import { ServiceKitModule } from '@fanout/service-kit';
import { AnalyticsConsumer } from './analytics.consumer';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsRepository } from './analytics.repository';
import { AnalyticsService } from './analytics.service';
import { analyticsEnv } from './config';
import { ANALYTICS_SCHEMA } from './schema.sql';

@Module({
  imports: [ServiceKitModule.forRoot(analyticsEnv), PostgresModule.forRoot({ lockName: 'analytics-schema', ddl: ANALYTICS_SCHEMA })],
  controllers: [AnalyticsController, AnalyticsConsumer],
  providers: [AnalyticsService, AnalyticsRepository],
})
export class AppModule {}

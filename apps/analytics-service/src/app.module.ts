import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createPool, migrate } from '@fanout/postgres';
import { HEALTH_PINGS, SERVICE_KIT_CONTROLLERS, ServiceKitModule } from '@fanout/service-kit';
import { AnalyticsConsumer } from './analytics.consumer';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsRepository } from './analytics.repository';
import { analyticsEnv, type AnalyticsEnv } from './config';
import { ANALYTICS_SCHEMA } from './schema.sql';

@Module({
  imports: [ServiceKitModule.forRoot(analyticsEnv)],
  controllers: [...SERVICE_KIT_CONTROLLERS, AnalyticsController, AnalyticsConsumer],
  providers: [
    {
      provide: AnalyticsRepository,
      inject: [ConfigService],
      useFactory: async (config: ConfigService<AnalyticsEnv, true>) => {
        const pool = createPool(config.get('DATABASE_URL'));
        await migrate(pool, 'analytics-schema', ANALYTICS_SCHEMA);
        return new AnalyticsRepository(pool);
      },
    },
    { provide: HEALTH_PINGS, inject: [AnalyticsRepository], useFactory: (repo: AnalyticsRepository) => ({ postgres: () => repo.ping() }) },
  ],
})
export class AppModule {}

import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createPool, migrate } from '@fanout/postgres';
import { exposeGauge, HEALTH_PINGS, SERVICE_KIT_CONTROLLERS, ServiceKitModule } from '@fanout/service-kit';
import { ChannelController } from './channel.controller';
import { notificationEnv, type NotificationEnv } from './config';
import { NotificationChannel } from './notification-channel';
import { NotificationsConsumer } from './notifications.consumer';
import { NotificationsController } from './notifications.controller';
import { NotificationsRepository } from './notifications.repository';
import { NOTIFICATION_SCHEMA } from './schema.sql';

type Config = ConfigService<NotificationEnv, true>;

@Module({
  imports: [ServiceKitModule.forRoot(notificationEnv)],
  controllers: [...SERVICE_KIT_CONTROLLERS, NotificationsController, NotificationsConsumer, ChannelController],
  providers: [
    {
      provide: NotificationsRepository,
      inject: [ConfigService],
      useFactory: async (config: Config) => {
        const pool = createPool(config.get('DATABASE_URL'));
        await migrate(pool, 'notification-schema', NOTIFICATION_SCHEMA);
        return new NotificationsRepository(pool);
      },
    },
    {
      provide: NotificationChannel,
      inject: [ConfigService],
      useFactory: (config: Config) => {
        const channel = new NotificationChannel({
          latencyMs: config.get('NOTIFICATION_CHANNEL_LATENCY_MS'),
          breakerThreshold: config.get('NOTIFICATION_BREAKER_THRESHOLD'),
          breakerHalfOpenAfterMs: config.get('NOTIFICATION_BREAKER_HALF_OPEN_MS'),
        });
        exposeGauge(
          'fanout_notification_breaker_open',
          "1 while the channel's circuit breaker is open (sends fail fast, partitions pause).",
          () => (channel.breakerState === 'Closed' ? 0 : 1),
        );
        return channel;
      },
    },
    {
      provide: HEALTH_PINGS,
      inject: [NotificationsRepository],
      useFactory: (repo: NotificationsRepository) => ({ postgres: () => repo.ping() }),
    },
  ],
})
export class AppModule {}

import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PostgresModule } from '@fanout/postgres';
import { exposeGauge, ServiceKitModule } from '@fanout/service-kit';
import { ChannelController } from './channel.controller';
import { notificationEnv, type NotificationEnv } from './config';
import { NotificationChannel } from './notification-channel';
import { NotificationsConsumer } from './notifications.consumer';
import { NotificationsController } from './notifications.controller';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService, SEND_CONCURRENCY } from './notifications.service';
import { NOTIFICATION_SCHEMA } from './schema.sql';

type Config = ConfigService<NotificationEnv, true>;

@Module({
  imports: [
    ServiceKitModule.forRoot(notificationEnv),
    PostgresModule.forRoot({ lockName: 'notification-schema', ddl: NOTIFICATION_SCHEMA }),
  ],
  controllers: [NotificationsController, NotificationsConsumer, ChannelController],
  providers: [
    NotificationsService,
    NotificationsRepository,
    { provide: SEND_CONCURRENCY, inject: [ConfigService], useFactory: (config: Config) => config.get('NOTIFICATION_SEND_CONCURRENCY') },
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
  ],
})
export class AppModule {}

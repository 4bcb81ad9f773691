import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { OrderEventMap } from '@fanout/contracts';
import { EventPublisher } from '@fanout/messaging';
import { kafkaFromConfig } from '@fanout/service-kit';
import type { OrderServiceEnv } from '../config';
import { OrdersController } from './orders.controller';
import { OrdersService } from './orders.service';
import { ABANDONED_PUBLISH_MS, EVENT_PUBLISHER } from './tokens';

type Config = ConfigService<OrderServiceEnv, true>;

@Module({
  controllers: [OrdersController],
  providers: [
    OrdersService,
    {
      // A publish settles within PUBLISH_TIMEOUT_MS: one still pending after twice that was abandoned (its instance died).
      provide: ABANDONED_PUBLISH_MS,
      inject: [ConfigService],
      useFactory: (config: Config) => 2 * config.get('PUBLISH_TIMEOUT_MS'),
    },
    {
      provide: EVENT_PUBLISHER,
      inject: [ConfigService],
      useFactory: async (config: Config) => {
        const kafka = kafkaFromConfig(config, 'order-service');
        const publisher = new EventPublisher<OrderEventMap>(kafka, {
          source: '/order-service',
          lingerMs: config.get('PUBLISH_LINGER_MS'),
          maxBatchSize: config.get('PUBLISH_MAX_BATCH'),
          maxPending: config.get('PUBLISH_MAX_PENDING'),
          timeoutMs: config.get('PUBLISH_TIMEOUT_MS'),
        });
        await publisher.connect();
        return publisher;
      },
    },
  ],
})
export class OrdersModule {}

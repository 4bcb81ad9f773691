import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { OrderEventMap } from '@fanout/contracts';
import { createKafka, EventPublisher, parseBrokers } from '@fanout/messaging';
import { IdempotencyKeys, OrderViewStore } from '@fanout/order-view';
import type { OrderServiceEnv } from '../config';
import { OrdersController } from './orders.controller';
import { OrdersService } from './orders.service';
import { EVENT_PUBLISHER, ORDER_VIEWS } from './tokens';

type Config = ConfigService<OrderServiceEnv, true>;

@Module({
  controllers: [OrdersController],
  providers: [
    OrdersService,
    {
      provide: EVENT_PUBLISHER,
      inject: [ConfigService],
      useFactory: async (config: Config) => {
        const kafka = createKafka({ brokers: parseBrokers(config.get('KAFKA_BROKERS')), clientId: 'order-service' });
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
    {
      provide: IdempotencyKeys,
      inject: [ConfigService],
      useFactory: async (config: Config) => {
        const keys = new IdempotencyKeys(config.get('REDIS_URL'));
        await keys.connect();
        return keys;
      },
    },
    {
      provide: ORDER_VIEWS,
      inject: [ConfigService],
      useFactory: async (config: Config) => {
        const views = new OrderViewStore(config.get('REDIS_URL'));
        await views.connect();
        return views;
      },
    },
  ],
  exports: [ORDER_VIEWS],
})
export class OrdersModule {}

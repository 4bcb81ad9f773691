import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Inject, Module, type OnModuleInit, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClientsModule, Transport, type ClientKafka } from '@nestjs/microservices';
import { map, type Observable } from 'rxjs';
import { NAIVE_TOPIC, naiveSasl } from './topics';

/**
 * The naive baseline's order API, written the way the NestJS docs show a Kafka producer: the stock
 * ClientKafka, one `emit` per request. It answers after the emit completes (acks=all, kafkajs's
 * default), like order-service, so the comparison is about the path, not about what "accepted" means.
 */
@Controller('orders')
class OrdersController implements OnModuleInit {
  constructor(@Inject('ORDERS_CLIENT') private readonly client: ClientKafka) {}

  async onModuleInit(): Promise<void> {
    await this.client.connect();
  }

  @Post()
  @HttpCode(202)
  create(@Body() order: Record<string, unknown>): Observable<{ orderId: string }> {
    const orderId = randomUUID();
    return this.client
      .emit(NAIVE_TOPIC, { key: orderId, value: { ...order, orderId, createdAt: new Date().toISOString() } })
      .pipe(map(() => ({ orderId })));
  }
}

@Module({
  imports: [
    ClientsModule.register([
      {
        name: 'ORDERS_CLIENT',
        transport: Transport.KAFKA,
        options: {
          client: { clientId: 'naive-orders', brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), ...naiveSasl() },
        },
      },
    ]),
  ],
  controllers: [OrdersController],
})
class NaiveProducerModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(NaiveProducerModule, { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  await app.listen(Number(process.env.PORT ?? 3900), '127.0.0.1');
}

void main();

import 'reflect-metadata';
import { Controller, Module, type OnApplicationShutdown } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload, Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { Pool } from 'pg';
import { ORDERS_TOPIC, type OrderCreated } from '@fanout/contracts';
import { NAIVE_GROUP, naiveSasl } from './topics';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 4 });

/**
 * The naive baseline's analytics consumer, written the way the NestJS docs show one: the stock Kafka
 * transport (kafkajs eachMessage, auto-commit), an @EventPattern handler doing its writes one query
 * at a time — the same aggregate updates as analytics-service, without its dedup transaction.
 */
@Controller()
class NaiveAnalyticsController implements OnApplicationShutdown {
  @EventPattern(ORDERS_TOPIC)
  async handle(@Payload() order: OrderCreated): Promise<void> {
    if (!order?.orderId || !order.currency) return; // a cancellation: nothing to count here
    await pool.query('INSERT INTO naive.orders (order_id, currency, total) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
      order.orderId,
      order.currency,
      order.total,
    ]);
    await pool.query(
      `INSERT INTO naive.currency_totals (currency, order_count, revenue) VALUES ($1, 1, $2)
       ON CONFLICT (currency) DO UPDATE SET order_count = currency_totals.order_count + 1,
                                            revenue = currency_totals.revenue + EXCLUDED.revenue`,
      [order.currency, order.total],
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await pool.end();
  }
}

@Module({ controllers: [NaiveAnalyticsController] })
class NaiveConsumerModule {}

async function main(): Promise<void> {
  await pool.query(`
    CREATE SCHEMA IF NOT EXISTS naive;
    CREATE TABLE IF NOT EXISTS naive.orders (order_id uuid PRIMARY KEY, currency text NOT NULL, total numeric NOT NULL);
    CREATE TABLE IF NOT EXISTS naive.currency_totals (currency text PRIMARY KEY, order_count bigint NOT NULL, revenue numeric NOT NULL);
  `);
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(NaiveConsumerModule, {
    logger: ['error', 'warn'],
    transport: Transport.KAFKA,
    options: {
      client: { clientId: 'naive-analytics', brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), ...naiveSasl() },
      consumer: { groupId: NAIVE_GROUP },
      subscribe: { fromBeginning: true },
    },
  });
  app.enableShutdownHooks();
  await app.listen();
}

void main();

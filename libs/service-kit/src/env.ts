import { z } from 'zod';

/** Environment every Fanout service reads; each service extends it with its own variables. */
export const baseEnv = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(1).max(65_535),
  KAFKA_BROKERS: z.string().min(1).default('127.0.0.1:9092'),
  OTEL_SERVICE_NAME: z.string().min(1),
});

/** Environment of a consumer service: its group, and how it works the partitions. */
export const consumerEnv = baseEnv.extend({
  CONSUMER_PARTITION_CONCURRENCY: z.coerce.number().int().min(1).default(3),
  CONSUMER_RETRY_ATTEMPTS: z.coerce.number().int().min(1).default(3),
  CONSUMER_RETRY_BACKOFF_MS: z.coerce.number().int().min(0).default(200),
});

export type ConsumerEnv = z.infer<typeof consumerEnv>;

import { z } from 'zod';

/** Environment every Fanout service reads; each service extends it with its own variables. */
export const baseEnv = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(1).max(65_535),
  KAFKA_BROKERS: z.string().min(1).default('127.0.0.1:9092'),
  /** This service's Kafka principal (SASL/SCRAM-SHA-512); unset for a broker without authentication. */
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  OTEL_SERVICE_NAME: z.string().min(1),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Who signs the bearer tokens the API accepts (its `iss`); the dev stack runs its own issuer (apps/dev-issuer). */
  OAUTH_ISSUER: z.url().default('http://127.0.0.1:3900'),
  /** The `aud` a token must carry to be accepted here. */
  OAUTH_AUDIENCE: z.string().min(1).default('fanout'),
  /** The issuer's signing keys; `<OAUTH_ISSUER>/jwks` when unset. */
  OAUTH_JWKS_URL: z.url().optional(),
  /** Browser origins allowed to call the API (comma-separated); none when empty: CORS stays closed. */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((list) =>
      list
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    ),
  /** Where request counts for rate limits live, shared by every instance: redis://<this service's ACL user>@host:port. */
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  /** That user's password (or REDIS_PASSWORD_FILE); unset for a Redis without ACL users. */
  REDIS_PASSWORD: z.string().min(1).optional(),
  /** The rate-limit window, and requests per window for a customer's token and for a client's (a back office). */
  RATE_LIMIT_WINDOW_MS: z.coerce.number().int().positive().default(10_000),
  RATE_LIMIT_CUSTOMER: z.coerce.number().int().positive().default(100),
  RATE_LIMIT_CLIENT: z.coerce.number().int().positive().default(100_000),
});

export type BaseEnv = z.infer<typeof baseEnv>;

/** Environment of a consumer service: its group, and how it works the partitions. */
export const consumerEnv = baseEnv.extend({
  CONSUMER_PARTITION_CONCURRENCY: z.coerce.number().int().min(1).default(3),
  /** Most records a batch handler (@EventBatchPattern) gets in one call. */
  CONSUMER_MAX_BATCH_RECORDS: z.coerce.number().int().min(1).default(500),
  /**
   * While records flow, a fetch is answered once it has this many bytes, or after
   * CONSUMER_FETCH_MAX_WAIT_MS: at a few hundred orders a second each batch then carries a fetch's worth
   * of records instead of one or two. After a fetch that found nothing, the next one long-polls for the
   * first record (answered at once), so a quiet consumer neither polls nor adds latency (adaptive-fetch.ts
   * in libs/messaging; a minimum of 1 byte turns the batching off: always a long poll of this wait).
   */
  CONSUMER_FETCH_MIN_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(64 * 1024),
  CONSUMER_FETCH_MAX_WAIT_MS: z.coerce.number().int().min(1).default(20),
  CONSUMER_RETRY_ATTEMPTS: z.coerce.number().int().min(1).default(3),
  CONSUMER_RETRY_BACKOFF_MS: z.coerce.number().int().min(0).default(200),
  /** Deliveries of a failing record through the group's retry topic before its dead-letter topic. */
  CONSUMER_MAX_DELIVERIES: z.coerce.number().int().min(1).default(4),
  CONSUMER_REDELIVERY_BACKOFF_MS: z.coerce.number().int().min(0).default(1_000),
  /** How often processed offsets are committed (and on rebalance and shutdown): a crash redelivers at most this much. */
  CONSUMER_COMMIT_INTERVAL_MS: z.coerce.number().int().positive().default(1_000),
  CONSUMER_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** A consumer whose fetch loop has not turned for this long (a stuck handler) is reported not ready. */
  CONSUMER_STALL_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  /** How often each instance reads its group's lag and dead letters from Kafka for /metrics. */
  CONSUMER_LAG_INTERVAL_MS: z.coerce.number().int().positive().default(5_000),
});

export type ConsumerEnv = z.infer<typeof consumerEnv>;

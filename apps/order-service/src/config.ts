import { z } from 'zod';
import { baseEnv } from '@fanout/service-kit';

export const orderServiceEnv = baseEnv.extend({
  PORT: z.coerce.number().int().default(3000),
  OTEL_SERVICE_NAME: z.string().default('order-service'),
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(64 * 1024),
  PUBLISH_LINGER_MS: z.coerce.number().int().min(0).default(2),
  PUBLISH_MAX_BATCH: z.coerce.number().int().positive().default(500),
  PUBLISH_MAX_PENDING: z.coerce.number().int().positive().default(20_000),
  PUBLISH_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
});
export type OrderServiceEnv = z.infer<typeof orderServiceEnv>;

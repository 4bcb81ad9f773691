import { z } from 'zod';
import { consumerEnv } from '@fanout/service-kit';

export const analyticsEnv = consumerEnv.extend({
  PORT: z.coerce.number().int().default(3201),
  OTEL_SERVICE_NAME: z.string().default('analytics-service'),
  DATABASE_URL: z.string().default('postgres://fanout@127.0.0.1:5432/fanout'),
});
export type AnalyticsEnv = z.infer<typeof analyticsEnv>;

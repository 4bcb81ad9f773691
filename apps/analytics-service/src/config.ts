import { z } from 'zod';
import { consumerEnv } from '@fanout/service-kit';

export const analyticsEnv = consumerEnv.extend({
  PORT: z.coerce.number().int().default(3201),
  OTEL_SERVICE_NAME: z.string().default('analytics-service'),
  /** This service's own role (it owns the schema "analytics" and reaches no other): postgres://analytics@host:port/db. */
  DATABASE_URL: z.string().default('postgres://analytics@127.0.0.1:5432/fanout'),
  /** That role's password (or DATABASE_PASSWORD_FILE). */
  DATABASE_PASSWORD: z.string().min(1).optional(),
});
export type AnalyticsEnv = z.infer<typeof analyticsEnv>;

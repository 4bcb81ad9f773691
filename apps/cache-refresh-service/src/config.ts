import { z } from 'zod';
import { consumerEnv } from '@fanout/service-kit';

export const cacheRefreshEnv = consumerEnv.extend({
  PORT: z.coerce.number().int().default(3301),
  OTEL_SERVICE_NAME: z.string().default('cache-refresh-service'),
});
export type CacheRefreshEnv = z.infer<typeof cacheRefreshEnv>;

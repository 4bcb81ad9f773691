import { z } from 'zod';
import { baseEnv } from '@fanout/service-kit';

export const consoleEnv = baseEnv.extend({
  PORT: z.coerce.number().int().default(3400),
  OTEL_SERVICE_NAME: z.string().default('console'),
  /** Jaeger's query API, where fan-out trees come from. */
  JAEGER_QUERY_URL: z.url().default('http://127.0.0.1:16686'),
  /** Jaeger's UI as the user's browser reaches it, for "open in Jaeger" links; empty where there is no UI. */
  JAEGER_UI_URL: z.union([z.url(), z.literal('')]).default(''),
  /** notification-service instances whose /metrics tell the breaker's state (comma-separated base URLs). */
  CONSOLE_BREAKER_URLS: z.string().default(''),
  CONSOLE_REFRESH_MS: z.coerce.number().int().min(200).default(1_000),
});
export type ConsoleEnv = z.infer<typeof consoleEnv>;

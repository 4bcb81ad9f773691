import { z } from 'zod';
import { consumerEnv } from '@fanout/service-kit';

export const notificationEnv = consumerEnv.extend({
  PORT: z.coerce.number().int().default(3101),
  OTEL_SERVICE_NAME: z.string().default('notification-service'),
  /** This service's own role (it owns the schema "notification" and reaches no other): postgres://notification@host:port/db. */
  DATABASE_URL: z.string().default('postgres://notification@127.0.0.1:5432/fanout'),
  /** That role's password (or DATABASE_PASSWORD_FILE). */
  DATABASE_PASSWORD: z.string().min(1).optional(),
  /** Sends in flight at once per batch: also the most a crash can leave claimed but unmarked. */
  NOTIFICATION_SEND_CONCURRENCY: z.coerce.number().int().positive().default(16),
  /** Simulated delivery time of the notification channel. */
  NOTIFICATION_CHANNEL_LATENCY_MS: z.coerce.number().int().min(0).default(0),
  NOTIFICATION_BREAKER_THRESHOLD: z.coerce.number().int().positive().default(5),
  NOTIFICATION_BREAKER_HALF_OPEN_MS: z.coerce.number().int().positive().default(5_000),
  /** The channel's fault switch (PUT /channel/failure, admin scope) exists only where this is true: drills, demos. */
  NOTIFICATION_FAULT_SWITCH: z.stringbool().default(false),
});
export type NotificationEnv = z.infer<typeof notificationEnv>;

import { ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { serviceInstanceId } from '@fanout/tracing';
import type { BaseEnv } from './env';

/**
 * One JSON object per line (pino), at LOG_LEVEL. Each line names the service and instance, and carries
 * `trace_id`/`span_id` whenever a span is active: OpenTelemetry's pino instrumentation adds them.
 * No HTTP middleware (forRoutes: []): /metrics has the request figures, a line per request is its own
 * load, and on Fastify the middleware's continuation loses the request's OpenTelemetry context for
 * requests with a body (nestjs-pino#546), which would cut every order's trace at the controller.
 */
export const loggingModule = () =>
  LoggerModule.forRootAsync({
    inject: [ConfigService],
    useFactory: (config: ConfigService<BaseEnv, true>) => ({
      forRoutes: [],
      pinoHttp: {
        level: config.get('LOG_LEVEL'),
        base: { service: config.get('OTEL_SERVICE_NAME'), instance: serviceInstanceId() },
      },
    }),
  });

import { Logger, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger as PinoLogger } from 'nestjs-pino';
import { KafkaConsumerServer, RethrowHandlerErrors, type EventMap, type EventSchemas } from '@fanout/messaging';
import { serviceInstanceId } from '@fanout/tracing';
import type { ConsumerEnv } from './env';
import { ReadinessChecks } from './health.controller';
import { kafkaFromConfig } from './kafka';
import { recordHttpMetrics } from './http-metrics';
import { answerMethodNotAllowed } from './method-not-allowed';
import { serveOpenApi, type OpenApiInfo } from './open-api';
import { sendSecurityHeaders } from './security-headers';
import { RequestValidationPipe } from './validation';

export interface ServiceOptions {
  /** Largest accepted request body; larger ones get 413. */
  bodyLimitBytes?: number;
  /** For a consumer service: its consumer group, and the events it may receive (anything else is poison). */
  consumer?: ConsumerOptions;
  /** The OpenAPI document's title and description (served at /docs-json, Swagger UI at /docs). */
  openApi?: OpenApiInfo;
  /** HTTP extras (filters) applied before listening. */
  configure?: (app: NestFastifyApplication) => void;
}

export interface ConsumerOptions<Events extends EventMap = EventMap> {
  group: string;
  events: EventSchemas<Events>;
}

/** Starts a service on Fastify: its Kafka consumer (if any) first, then HTTP; SIGTERM closes both. */
export async function bootstrapService(module: Type, options: ServiceOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    module,
    new FastifyAdapter({ bodyLimit: options.bodyLimitBytes ?? 64 * 1024 }),
    { bufferLogs: true }, // start-up lines wait for the JSON logger, then go through it
  );
  app.useLogger(app.get(PinoLogger));
  app.useGlobalPipes(new RequestValidationPipe());
  recordHttpMetrics(app);
  answerMethodNotAllowed(app);
  // The signals orchestrators stop with. Nest's default list also has SIGUSR2, SIGHUP and the like: a
  // stray one of those should not stop a service (the benchmark's profiler uses SIGUSR2).
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  const config = app.get<ConfigService<ConsumerEnv, true>>(ConfigService);
  sendSecurityHeaders(app);
  const corsOrigins = config.get('CORS_ORIGINS', { infer: true });
  if (corsOrigins.length > 0) app.enableCors({ origin: corsOrigins, allowedHeaders: ['authorization', 'content-type', 'idempotency-key'] });
  options.configure?.(app);
  if (options.openApi) serveOpenApi(app, options.openApi);
  if (options.consumer) {
    // Deferred, so the filter below is in place when the handlers are wired.
    const server = consumerServer(options.consumer, config);
    app.get(ReadinessChecks).register('kafka-consumer', () => server.readiness());
    const consumer = app.connectMicroservice({ strategy: server }, { deferInitialization: true });
    consumer.useGlobalFilters(new RethrowHandlerErrors());
    await app.startAllMicroservices();
  }
  await app.listen(config.get('PORT'), config.get('HOST'));
  new Logger('Bootstrap').log(`${config.get('OTEL_SERVICE_NAME')} (${serviceInstanceId()}) on port ${config.get('PORT')}`);
  return app;
}

function consumerServer({ group, events }: ConsumerOptions, config: ConfigService<ConsumerEnv, true>): KafkaConsumerServer {
  return new KafkaConsumerServer({
    kafka: kafkaFromConfig(config, serviceInstanceId()),
    groupId: group,
    events,
    partitionConcurrency: config.get('CONSUMER_PARTITION_CONCURRENCY'),
    maxBatchRecords: config.get('CONSUMER_MAX_BATCH_RECORDS'),
    fetch: { minBytes: config.get('CONSUMER_FETCH_MIN_BYTES'), maxWaitMs: config.get('CONSUMER_FETCH_MAX_WAIT_MS') },
    retry: { attempts: config.get('CONSUMER_RETRY_ATTEMPTS'), initialBackoffMs: config.get('CONSUMER_RETRY_BACKOFF_MS') },
    redelivery: { maxDeliveries: config.get('CONSUMER_MAX_DELIVERIES'), backoffMs: config.get('CONSUMER_REDELIVERY_BACKOFF_MS') },
    commitIntervalMs: config.get('CONSUMER_COMMIT_INTERVAL_MS'),
    shutdownTimeoutMs: config.get('CONSUMER_SHUTDOWN_TIMEOUT_MS'),
    stallTimeoutMs: config.get('CONSUMER_STALL_TIMEOUT_MS'),
    instanceId: serviceInstanceId(),
    lagIntervalMs: config.get('CONSUMER_LAG_INTERVAL_MS'),
  });
}

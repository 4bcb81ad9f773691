import { hostname } from 'node:os';
import { diag, DiagConsoleLogger } from '@opentelemetry/api';
import { diagLogLevelFromString } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import {
  defaultResource,
  detectResources,
  envDetector,
  hostDetector,
  processDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { CountingExporter, SpanEndCounter } from './span-counts';

let provider: NodeTracerProvider | undefined;

/** The instance id every span and metric of this process carries (SERVICE_INSTANCE_ID, else host-pid). */
export function serviceInstanceId(): string {
  return process.env.SERVICE_INSTANCE_ID || `${hostname()}-${process.pid}`;
}

/**
 * Starts OpenTelemetry before any instrumented module (pg, ioredis, pino, Fastify) is loaded.
 * Standard OTEL_* variables apply: OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, OTEL_EXPORTER_OTLP_ENDPOINT,
 * OTEL_SDK_DISABLED, OTEL_LOG_LEVEL, and OTEL_TRACES_SAMPLER(_ARG) (the stacks set parentbased_traceidratio:
 * order-service decides, consumers follow). Kafka spans are made by @fanout/messaging itself, so they exist
 * whatever module system loads kafkajs.
 *
 * A tracer provider, not @opentelemetry/sdk-node's NodeSDK: Fanout exports traces only, and NodeSDK loads
 * every metrics, logs, gRPC, Zipkin and B3 module whether used or not (required in a bare Node 24 process:
 * 3.7 MB more heap and 13 MB more RSS than this provider with its OTLP exporter).
 */
export function startTracing(): void {
  if (provider || process.env.OTEL_SDK_DISABLED === 'true') return;
  const logLevel = process.env.OTEL_LOG_LEVEL;
  if (logLevel) diag.setLogger(new DiagConsoleLogger(), diagLogLevelFromString(logLevel));
  provider = new NodeTracerProvider({
    resource: defaultResource()
      .merge(
        resourceFromAttributes({
          [ATTR_SERVICE_NAME]: process.env.OTEL_SERVICE_NAME ?? 'fanout',
          'service.instance.id': serviceInstanceId(),
        }),
      )
      .merge(detectResources({ detectors: [envDetector, processDetector, hostDetector] })),
    // Never the simple processor: it exports on the hot path, one request per span.
    spanProcessors: [
      new SpanEndCounter(),
      new BatchSpanProcessor(new CountingExporter(new OTLPTraceExporter()), {
        scheduledDelayMillis: envInt('OTEL_BSP_SCHEDULE_DELAY', 500),
        // The queue is live heap (~2 KB a span): under sustained overload it stays full and the excess is
        // dropped whatever its size, so it is sized for bursts, not for a backlog drain.
        maxQueueSize: envInt('OTEL_BSP_MAX_QUEUE_SIZE', 4_096),
        maxExportBatchSize: envInt('OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 1_024),
      }),
    ],
  });
  provider.register(); // W3C trace context and baggage, AsyncLocalStorage context
  registerInstrumentations({
    instrumentations: [
      // The server span of each request, made by Fastify's own instrumentation: instrumentation-http also
      // rebinds every request's and response's event emitters, which cost 0.13 ms of CPU a request, sampled
      // or not. No outgoing call needs it: the services call out with fetch, never node:http.
      new FastifyOtelInstrumentation({
        registerOnInitialization: true,
        instrumentHooks: false,
        instrumentHandler: false,
        ignorePaths: ({ url }) => /^\/(health|metrics)/.test(url),
        requestHook: (span, request) => span.updateName(`${request.method} ${request.routeOptions.url ?? request.url}`),
      }),
      new PgInstrumentation({ requireParentSpan: true, ignoreConnectSpans: true }),
      // The statement is the command's name: the default serializer writes every argument of an EVAL (the
      // rate limiter's whole Lua script) into the span, for unsampled requests too (1% of order-service's CPU).
      new IORedisInstrumentation({ requireParentSpan: true, dbStatementSerializer: (command) => command }),
      // trace_id/span_id on every log line written inside a span; the lines themselves stay in the log, not in OTLP.
      new PinoInstrumentation({ disableLogSending: true }),
    ],
  });
}

/** The standard OTEL_BSP_* variable if set (the SDK reads them only when it builds the processor itself), else ours. */
function envInt(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/** Flushes buffered spans; call on shutdown so the last traces reach Jaeger. */
export async function stopTracing(): Promise<void> {
  await provider?.shutdown();
  provider = undefined;
}

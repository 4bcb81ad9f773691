import { context, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';

const tracer = trace.getTracer('@fanout/tracing');

/** The trace id of the active span, if any: order-service returns it so users can find the trace. */
export function currentTraceId(): string | undefined {
  return trace.getActiveSpan()?.spanContext().traceId;
}

/** `error.type` as the OpenTelemetry conventions name it, on spans and metrics alike: the error's class. */
export function errorType(error: unknown): string {
  if (!(error instanceof Error)) return '_OTHER';
  return error.name === 'Error' ? error.constructor.name : error.name;
}

/** Marks a span failed the way the conventions ask: status ERROR, the exception, and `error.type`. */
export function recordFailure(span: Span, error: unknown): void {
  const e = error instanceof Error ? error : new Error(String(error));
  span.recordException(e);
  span.setAttribute('error.type', errorType(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: e.message });
}

/** Runs `work` as the active span, which ends with it (failed, if the work throws). */
export async function runInSpan<T>(span: Span, work: () => Promise<T>): Promise<T> {
  try {
    return await context.with(trace.setSpan(context.active(), span), work);
  } catch (error) {
    recordFailure(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/**
 * Runs bulk work (a pipeline of one Redis script per record, say) in a single span, with the
 * instrumentation of the calls inside it switched off: one span per batch instead of one per command.
 */
export function traceBulkWork<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  return runInSpan(tracer.startSpan(name, { attributes }), () => untraced(work));
}

/**
 * Runs `work` with instrumentation switched off: for calls whose spans would say nothing (BEGIN, COMMIT).
 * Without a parent span too: the pg and ioredis instrumentations (`requireParentSpan`) then return at
 * once, where suppression alone still let them build each command's attributes and a no-op span.
 */
export function untraced<T>(work: () => Promise<T>): Promise<T> {
  return context.with(suppressTracing(trace.deleteSpan(context.active())), work);
}

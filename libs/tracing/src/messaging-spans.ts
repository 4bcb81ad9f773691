import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';

const tracer = trace.getTracer('@fanout/messaging');

/** Attribute names from the OpenTelemetry messaging semantic conventions. */
export const MESSAGING = {
  system: 'messaging.system',
  operationName: 'messaging.operation.name',
  operationType: 'messaging.operation.type',
  destination: 'messaging.destination.name',
  consumerGroup: 'messaging.consumer.group.name',
  partition: 'messaging.destination.partition.id',
  offset: 'messaging.kafka.offset',
  key: 'messaging.kafka.message.key',
  messageId: 'messaging.message.id',
  batchMessageCount: 'messaging.batch.message_count',
} as const;

export type TraceHeaders = Record<string, string>;

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
function recordFailure(span: Span, error: unknown): void {
  const e = error instanceof Error ? error : new Error(String(error));
  span.recordException(e);
  span.setAttribute('error.type', errorType(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: e.message });
}

async function runInSpan<T>(span: Span, work: () => Promise<T>): Promise<T> {
  try {
    return await context.with(trace.setSpan(context.active(), span), work);
  } catch (error) {
    recordFailure(span, error);
    throw error;
  } finally {
    span.end();
  }
}

const messagingAttributes = (operation: 'send' | 'process', topic: string): Attributes => ({
  [MESSAGING.system]: 'kafka',
  [MESSAGING.operationName]: operation,
  [MESSAGING.operationType]: operation,
  [MESSAGING.destination]: topic,
});

/** Runs a publish inside a `send <topic>` producer span; `send` gets the headers that carry the span's context. */
export function tracePublish<T>(topic: string, attributes: Attributes, send: (traceHeaders: TraceHeaders) => Promise<T>): Promise<T> {
  const span = tracer.startSpan(`send ${topic}`, {
    kind: SpanKind.PRODUCER,
    attributes: { ...messagingAttributes('send', topic), ...attributes },
  });
  const traceHeaders: TraceHeaders = {};
  propagation.inject(trace.setSpan(context.active(), span), traceHeaders);
  return runInSpan(span, () => send(traceHeaders));
}

/** A `process <topic>` consumer span; `parent` holds the producer span's context, extracted from the record headers. */
function startProcessSpan(topic: string, attributes: Attributes, parent: Context): Span {
  return tracer.startSpan(
    `process ${topic}`,
    { kind: SpanKind.CONSUMER, attributes: { ...messagingAttributes('process', topic), ...attributes } },
    parent,
  );
}

/** Runs a record's handler inside a `process <topic>` consumer span, a child of the producer span in its headers. */
export function traceProcess<T>(
  topic: string,
  headers: Record<string, string | undefined>,
  attributes: Attributes,
  handle: () => Promise<T>,
): Promise<T> {
  const parent = propagation.extract(context.active(), headers);
  return context.with(parent, () => runInSpan(startProcessSpan(topic, attributes, parent), handle));
}

/** Runs application work (a notification send, say) in an internal span of its own. */
export function traceWork<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  return runInSpan(tracer.startSpan(name, { attributes }), work);
}

/**
 * Runs a handler over several records at once. Each record still gets its own `process <topic>`
 * span, a child of its producer span, so every order's trace shows its fan-out; they end when the
 * batch ends. The work itself runs inside the first record's span, which links to the others (the
 * conventions' way to say one operation covered several messages).
 */
export async function traceProcessBatch<T>(
  topic: string,
  records: { headers: Record<string, string | undefined>; attributes: Attributes }[],
  handle: () => Promise<T>,
): Promise<T> {
  const spans = records.map(({ headers, attributes }) =>
    startProcessSpan(topic, { [MESSAGING.batchMessageCount]: records.length, ...attributes }, propagation.extract(ROOT_CONTEXT, headers)),
  );
  spans[0]!.addLinks(spans.slice(1).map((span) => ({ context: span.spanContext() })));
  try {
    return await context.with(trace.setSpan(ROOT_CONTEXT, spans[0]!), handle);
  } catch (error) {
    for (const span of spans) recordFailure(span, error);
    throw error;
  } finally {
    for (const span of spans) span.end();
  }
}

/**
 * Runs bulk work (a pipeline of one Redis script per record, say) in a single span, with the
 * instrumentation of the calls inside it switched off: one span per batch instead of one per command.
 */
export function traceBulkWork<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  return runInSpan(tracer.startSpan(name, { attributes }), () => untraced(work));
}

/** Runs `work` with instrumentation switched off: for calls whose spans would say nothing (BEGIN, COMMIT). */
export function untraced<T>(work: () => Promise<T>): Promise<T> {
  return context.with(suppressTracing(context.active()), work);
}

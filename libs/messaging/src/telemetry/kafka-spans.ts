import { context, propagation, ROOT_CONTEXT, SpanKind, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { recordFailure, runInSpan } from '@fanout/tracing';

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

type Headers = Record<string, string | undefined>;

const messagingAttributes = (operation: 'send' | 'process', topic: string): Attributes => ({
  [MESSAGING.system]: 'kafka',
  [MESSAGING.operationName]: operation,
  [MESSAGING.operationType]: operation,
  [MESSAGING.destination]: topic,
});

/**
 * The sampling decision a record carries in its W3C `traceparent` (version-traceid-parentid-flags):
 * read from the flags alone, so an unsampled record costs no context extraction.
 */
export function traceDecision(headers: Headers): 'sampled' | 'unsampled' | 'none' {
  const traceparent = headers.traceparent;
  if (traceparent?.length !== 55) return 'none';
  return (parseInt(traceparent.slice(53), 16) & 1) === 1 ? 'sampled' : 'unsampled';
}

/** Runs a publish inside a `send <topic>` producer span; `send` gets the headers that carry the span's context. */
export function tracePublish<T>(
  topic: string,
  attributes: Attributes,
  send: (traceHeaders: Record<string, string>) => Promise<T>,
): Promise<T> {
  const span = tracer.startSpan(`send ${topic}`, {
    kind: SpanKind.PRODUCER,
    attributes: { ...messagingAttributes('send', topic), ...attributes },
  });
  const traceHeaders: Record<string, string> = {};
  propagation.inject(trace.setSpan(context.active(), span), traceHeaders);
  return runInSpan(span, () => send(traceHeaders));
}

/** What a record's `process <topic>` span shows; asked only of a record that gets a span. */
export interface ProcessSpanInfo {
  topic: string;
  attributes: Attributes;
}

/**
 * Runs a handler over a batch of records (one or many) inside their `process <topic>` spans.
 * Each sampled record gets its own span, a child of its producer's span, so every order's trace shows
 * its fan-out; the work runs inside the first, which links to the others (the conventions' way to say one
 * operation covered several messages). Records whose producer did not sample them get no span at all:
 * the work then runs in an unsampled context, so nothing below it starts a partial trace either. Nor
 * does an unsampled record cost an object: `describe` is asked only of the records that get a span.
 */
export async function traceProcess<R extends { headers: Headers }, T>(
  records: readonly R[],
  describe: (record: R) => ProcessSpanInfo,
  handle: () => Promise<T>,
): Promise<T> {
  const traced = records.filter((r) => traceDecision(r.headers) !== 'unsampled');
  if (traced.length === 0) return context.with(UNSAMPLED, handle);
  const batchAttributes: Attributes = records.length > 1 ? { [MESSAGING.batchMessageCount]: records.length } : {};
  const spans = traced.map((r) => {
    const { topic, attributes } = describe(r);
    return startProcessSpan(topic, { ...batchAttributes, ...attributes }, propagation.extract(ROOT_CONTEXT, r.headers));
  });
  if (spans.length > 1) spans[0]!.addLinks(spans.slice(1).map((span) => ({ context: span.spanContext() })));
  try {
    return await context.with(trace.setSpan(ROOT_CONTEXT, spans[0]!), handle);
  } catch (error) {
    for (const span of spans) recordFailure(span, error);
    throw error;
  } finally {
    for (const span of spans) span.end();
  }
}

function startProcessSpan(topic: string, attributes: Attributes, parent: Context): Span {
  return tracer.startSpan(
    `process ${topic}`,
    { kind: SpanKind.CONSUMER, attributes: { ...messagingAttributes('process', topic), ...attributes } },
    parent,
  );
}

/** A parent that samples nothing: spans started under it (by pg, ioredis, app code) are not recorded. */
const UNSAMPLED = trace.setSpanContext(ROOT_CONTEXT, {
  traceId: '00000000000000000000000000000001',
  spanId: '0000000000000001',
  traceFlags: 0,
  isRemote: true,
});

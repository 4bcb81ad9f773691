import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { isTracingSuppressed } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { traceBulkWork, untraced } from './spans';

describe('bulk work and untraced calls', () => {
  const exporter = new InMemorySpanExporter();
  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  });
  afterAll(() => {
    trace.disable();
    context.disable();
  });

  it('runs untraced work suppressed and with no active span, so instrumentations needing a parent step aside', async () => {
    const seen = await traceBulkWork('bulk', { 'fanout.items': 3 }, async () => {
      await Promise.resolve();
      return { active: trace.getActiveSpan(), suppressed: isTracingSuppressed(context.active()) };
    });
    expect(seen).toEqual({ active: undefined, suppressed: true });
    expect(exporter.getFinishedSpans().map((s) => [s.name, s.attributes])).toEqual([['bulk', { 'fanout.items': 3 }]]);
  });

  it('leaves the caller its span after the untraced work', async () => {
    const outer = trace.getTracer('test').startSpan('outer');
    await context.with(trace.setSpan(context.active(), outer), async () => {
      await untraced(async () => expect(trace.getActiveSpan()).toBeUndefined());
      expect(trace.getActiveSpan()).toBe(outer);
    });
    outer.end();
  });
});

import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { traceDecision, traceProcess, type ProcessSpanInfo } from './kafka-spans';

// The sampler order-service runs in production: a trace is recorded whole or not at all.
const exporter = new InMemorySpanExporter();
beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({
      sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0) }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    }),
  );
});
afterEach(() => exporter.reset());
afterAll(() => {
  trace.disable();
  context.disable();
  propagation.disable();
});

const traceparent = (flags: '00' | '01', n: number) => `00-${String(n).padStart(32, 'a')}-${String(n).padStart(16, 'b')}-${flags}`;
const record = (headers: Record<string, string>) => ({ headers });
const describeRecord = (): ProcessSpanInfo => ({ topic: 'orders', attributes: { n: 1 } });

describe('traceDecision', () => {
  it('reads the sampled flag of a W3C traceparent', () => {
    expect(traceDecision({ traceparent: traceparent('01', 1) })).toBe('sampled');
    expect(traceDecision({ traceparent: traceparent('00', 1) })).toBe('unsampled');
    expect(traceDecision({})).toBe('none');
    expect(traceDecision({ traceparent: 'garbage' })).toBe('none');
  });
});

describe('traceProcess', () => {
  it('gives each sampled record a process span in its producer trace, linked from the first', async () => {
    const inner = await traceProcess(
      [record({ traceparent: traceparent('01', 1) }), record({ traceparent: traceparent('01', 2) })],
      describeRecord,
      async () => trace.getActiveSpan()?.spanContext().traceId,
    );
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.spanContext().traceId)).toEqual([traceparent('01', 1).slice(3, 35), traceparent('01', 2).slice(3, 35)]);
    expect(inner).toBe(spans[0]!.spanContext().traceId);
    expect(spans[0]!.links.map((l) => l.context.spanId)).toEqual([spans[1]!.spanContext().spanId]);
    expect(spans[0]!.attributes['messaging.batch.message_count']).toBe(2);
  });

  it('makes no span for unsampled records, nor for anything started inside their work, and asks nothing of them', async () => {
    const describe = jest.fn(describeRecord);
    await traceProcess([record({ traceparent: traceparent('00', 3) })], describe, async () => {
      trace.getTracer('app').startSpan('work inside').end();
    });
    expect(exporter.getFinishedSpans()).toEqual([]);
    expect(describe).not.toHaveBeenCalled();
  });

  it('marks every span of a failed batch failed and lets the error through', async () => {
    const failing = traceProcess([record({ traceparent: traceparent('01', 4) })], describeRecord, () =>
      Promise.reject(new Error('db down')),
    );
    await expect(failing).rejects.toThrow('db down');
    expect(exporter.getFinishedSpans()[0]!.attributes['error.type']).toBe('Error');
  });
});

import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Producer, ProducerRecord } from 'kafkajs';
import { PoisonRecordError } from '../cloud-events';
import { traceProcess } from '../telemetry/kafka-spans';
import type { ConsumedRecord } from './consumed-record';
import { DEAD_LETTER_HEADERS, ORIGIN_HEADERS, RETRY_HEADERS } from './delivery-headers';
import { Redelivery } from './redelivery';

const exporter = new InMemorySpanExporter();
beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
});
afterAll(() => {
  trace.disable();
  context.disable();
  propagation.disable();
});

const traceparent = (flags: string) => `00-${'a'.repeat(32)}-${'b'.repeat(16)}-${flags}`;
const record = (headers: Record<string, string>): ConsumedRecord => ({
  topic: 'orders',
  partition: 2,
  offset: '17',
  key: 'k',
  headers,
  value: Buffer.from('{}'),
  timestamp: 0,
});

function setUp() {
  const sent: ProducerRecord[] = [];
  const producer = { send: async (r: ProducerRecord) => void sent.push(r) } as unknown as Producer;
  return { redelivery: new Redelivery(producer, 'g', { maxDeliveries: 2, backoffMs: 0 }), sent };
}

/** The record's `process orders` span, as the pipeline's tracing policy makes it. */
const asProcessed = () => ({ topic: 'orders', attributes: {} });

describe('Redelivery', () => {
  beforeEach(() => exporter.reset());

  it('moves a failed record to the retry topic with its origin and next attempt, as a span of its trace', async () => {
    const { redelivery, sent } = setUp();
    const failed = record({ traceparent: traceparent('01') });
    // As in the pipeline: redelivery runs inside the record's process span.
    const hop = traceProcess([failed], asProcessed, () => redelivery.send(failed, new Error('db down')));
    await expect(hop).resolves.toBe('retry');
    const headers = sent[0]!.messages[0]!.headers as Record<string, string>;
    expect(sent[0]!.topic).toBe('orders.retry.g');
    expect(headers).toMatchObject({ [ORIGIN_HEADERS.partition]: '2', [ORIGIN_HEADERS.offset]: '17', [RETRY_HEADERS.attempt]: '2' });
    expect(headers.traceparent).not.toBe(traceparent('01')); // the send span's context, in the same trace
    expect(headers.traceparent!.slice(3, 35)).toBe('a'.repeat(32));
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['send orders.retry.g', 'process orders']);
  });

  it('dead-letters poison at once with its reason', async () => {
    const { redelivery, sent } = setUp();
    await expect(redelivery.send(record({}), new PoisonRecordError('invalid-json', 'not JSON'))).resolves.toBe('dead-letter');
    expect(sent[0]!.topic).toBe('orders.dlq.g');
    expect(sent[0]!.messages[0]!.headers).toMatchObject({ [DEAD_LETTER_HEADERS.reason]: 'invalid-json' });
  });

  it('keeps an unsampled record untraced: its traceparent travels as it was, and no span is made', async () => {
    const { redelivery, sent } = setUp();
    const failed = record({ traceparent: traceparent('00') });
    await traceProcess([failed], asProcessed, () => redelivery.send(failed, new Error('db down')));
    expect((sent[0]!.messages[0]!.headers as Record<string, string>).traceparent).toBe(traceparent('00'));
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});

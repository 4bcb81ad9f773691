import { CONSUMER_GROUPS } from '@fanout/contracts';
import { instances } from './support/env';
import { eventually } from './support/eventually';
import { fetchTrace, type JaegerSpan } from './support/jaeger';
import { randomBytes } from 'node:crypto';
import { postJson, randomOrder, submitOrder, type Accepted } from './support/orders';
import { metricTotal } from './support/services';

const tag = (span: JaegerSpan, key: string) => span.tags.find((t) => t.key === key)?.value;

/** One order, one trace: HTTP → send → one process branch per consumer group, each with its own work. */
describe('fan-out trace in Jaeger', () => {
  it('shows the whole fan-out path of an order as one tree', async () => {
    const { traceId } = await submitOrder(randomOrder());
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);

    const trace = await eventually(
      'Jaeger holding the three process spans of the trace',
      () => fetchTrace(traceId),
      (t) => (t?.spans.filter((s) => s.operationName === 'process orders').length ?? 0) === 3,
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    const t = trace!;
    const service = (span: JaegerSpan) => t.processes[span.processID]!.serviceName;
    const instanceId = (span: JaegerSpan) => t.processes[span.processID]!.tags.find((x) => x.key === 'service.instance.id')?.value;
    const parentOf = (span: JaegerSpan) => span.references.find((r) => r.refType === 'CHILD_OF')?.spanID;
    const childrenOf = (span: JaegerSpan) => t.spans.filter((s) => parentOf(s) === span.spanID);

    const [http] = t.spans.filter(
      (s) => service(s) === 'order-service' && (tag(s, 'http.request.method') ?? tag(s, 'http.method')) === 'POST' && !parentOf(s),
    );
    expect(http).toBeDefined();
    const [publish] = childrenOf(http!).filter((s) => s.operationName === 'send orders');
    expect(publish).toBeDefined();
    expect(tag(publish!, 'messaging.system')).toBe('kafka');
    expect(tag(publish!, 'messaging.destination.name')).toBe('orders');
    expect(tag(publish!, 'messaging.operation.name')).toBe('send');
    const messageId = tag(publish!, 'messaging.message.id');
    expect(messageId).toMatch(/^[0-9a-f-]{36}$/);

    const branches = childrenOf(publish!).filter((s) => s.operationName === 'process orders');
    expect(branches.map((s) => tag(s, 'messaging.consumer.group.name')).sort()).toEqual(Object.values(CONSUMER_GROUPS).sort());
    expect(branches.map(service).sort()).toEqual(['analytics-service', 'cache-refresh-service', 'notification-service']);
    for (const branch of branches) {
      expect(tag(branch, 'messaging.system')).toBe('kafka');
      expect(tag(branch, 'messaging.destination.name')).toBe('orders');
      expect(tag(branch, 'messaging.operation.name')).toBe('process');
      expect(tag(branch, 'messaging.message.id')).toBe(messageId); // the same CloudEvents id in every group
      expect(String(tag(branch, 'messaging.destination.partition.id'))).toMatch(/^[0-5]$/);
      expect(Number(tag(branch, 'messaging.kafka.offset'))).toBeGreaterThanOrEqual(0);
      expect(String(instanceId(branch))).toMatch(new RegExp(`^${service(branch)}-\\d+$`));
    }

    // Under each branch, the span of its own work.
    const work = (group: string) =>
      childrenOf(branches.find((b) => tag(b, 'messaging.consumer.group.name') === group)!).map((s) => s.operationName);
    expect(work('analytics')).toEqual(expect.arrayContaining([expect.stringMatching(/^pg\.query/)]));
    expect(work('cache-refresh')).toEqual(expect.arrayContaining(['order-view apply'])); // one span for the Redis pipeline
    // The outbox: the claim's query, then one span for the sends and their marks.
    expect(work('notification').filter((name) => name === 'notification send')).toHaveLength(1);
    expect(work('notification')).toEqual(expect.arrayContaining([expect.stringMatching(/^pg\.query/)]));
    // Transaction brackets make no spans of their own.
    expect(t.spans.map((s) => s.operationName).filter((name) => /BEGIN|COMMIT/.test(name))).toEqual([]);
    expect(new Set(t.spans.map(service))).toEqual(
      new Set(['order-service', 'notification-service', 'analytics-service', 'cache-refresh-service']),
    );
  });

  it("follows the caller's traceparent: its trace when sampled, no trace when not", async () => {
    const submitUnder = async (flags: '00' | '01') => {
      const traceparent = `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-${flags}`;
      const response = await postJson('/orders', randomOrder(), { traceparent });
      expect(response.status).toBe(202);
      const [, sentTraceId, callerSpanId] = traceparent.split('-');
      return { sentTraceId: sentTraceId!, callerSpanId, accepted: (await response.json()) as Accepted };
    };
    const unsampled = await submitUnder('00');
    const sampled = await submitUnder('01');
    expect(sampled.accepted.traceId).toBe(sampled.sentTraceId);
    expect(unsampled.accepted.traceId).toBe(unsampled.sentTraceId);

    const trace = await eventually(
      "Jaeger holding the caller's trace with its three process spans",
      () => fetchTrace(sampled.sentTraceId),
      (t) => (t?.spans.filter((s) => s.operationName === 'process orders').length ?? 0) === 3,
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    const root = trace!.spans.find((s) => s.operationName === 'POST /orders');
    expect(root?.references).toEqual([expect.objectContaining({ refType: 'CHILD_OF', spanID: sampled.callerSpanId })]);
    // The unsampled order went through the same exporters first: none of its spans exists.
    expect(await fetchTrace(unsampled.sentTraceId)).toBeUndefined();
  });

  it('counts on /metrics the spans each service ended and the collector accepted', async () => {
    for (const service of ['order-service', 'notification-service', 'analytics-service', 'cache-refresh-service']) {
      const ids = instances.filter((i) => i.service === service).map((i) => i.instanceId);
      const total = async (metric: string) => (await Promise.all(ids.map((id) => metricTotal(id, metric)))).reduce((a, b) => a + b, 0);
      const exported = await eventually(
        `${service} reporting exported spans`,
        () => total('fanout_tracing_spans_exported_total'),
        (n) => n > 0,
        { timeoutMs: 10_000, intervalMs: 250 },
      );
      expect(await total('fanout_tracing_spans_ended_total')).toBeGreaterThanOrEqual(exported!);
    }
  });
});

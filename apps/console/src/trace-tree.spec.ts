import { traceTree, type JaegerTrace } from './trace-tree';

const span = (
  spanID: string,
  operationName: string,
  processID: string,
  startTime: number,
  parent?: string,
  tags: Record<string, unknown> = {},
) => ({
  spanID,
  operationName,
  processID,
  startTime,
  duration: 2_500,
  references: parent ? [{ refType: 'CHILD_OF', spanID: parent }] : [],
  tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
});
const process = (serviceName: string, instance: string) => ({ serviceName, tags: [{ key: 'service.instance.id', value: instance }] });

const trace: JaegerTrace = {
  traceID: 't',
  processes: {
    p1: process('order-service', 'order-service-1'),
    p2: process('analytics-service', 'analytics-service-2'),
    p3: process('notification-service', 'notification-service-1'),
  },
  spans: [
    span('c', 'process orders', 'p3', 30, 'b', {
      'messaging.consumer.group.name': 'notification',
      'messaging.destination.partition.id': '3',
      'messaging.kafka.offset': 41,
    }),
    span('a', 'POST /orders', 'p1', 10),
    span('d', 'send orders.retry.notification', 'p3', 35, 'c', { error: true, 'error.type': 'KafkaJSError' }),
    span('b', 'send orders', 'p1', 20, 'a'),
    span('e', 'process orders', 'p2', 25, 'b', {
      'messaging.consumer.group.name': 'analytics',
      'messaging.destination.partition.id': '3',
      'messaging.kafka.offset': 41,
    }),
  ],
};

describe('traceTree', () => {
  it('nests spans under their parents in start order, with group, partition, offset and instance of each branch', () => {
    const [root] = traceTree(trace);
    expect(root).toMatchObject({ name: 'POST /orders', service: 'order-service', instance: 'order-service-1', durationMs: 2.5 });
    const [send] = root!.children;
    expect(send!.name).toBe('send orders');
    expect(send!.children.map((b) => [b.group, b.instance, b.partition, b.offset])).toEqual([
      ['analytics', 'analytics-service-2', '3', 41],
      ['notification', 'notification-service-1', '3', 41],
    ]);
    expect(send!.children[1]!.children).toEqual([
      expect.objectContaining({ name: 'send orders.retry.notification', error: 'KafkaJSError' }),
    ]);
  });

  it('keeps a span whose parent is missing from the trace as a root of its own', () => {
    const partial = { ...trace, spans: trace.spans.filter((s) => s.spanID !== 'b') };
    expect(traceTree(partial).map((n) => n.name)).toEqual(['POST /orders', 'process orders', 'process orders']);
  });
});

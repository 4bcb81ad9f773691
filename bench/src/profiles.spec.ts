import { componentOf, summarizeAllocations, summarizeProfile } from './profiles';

const frame = (functionName: string, url: string) => ({ functionName, url });

describe('componentOf', () => {
  it('names the package, our own app or lib, Node core, or the collector a frame belongs to', () => {
    expect(componentOf(frame('encode', '/repo/node_modules/kafkajs/src/protocol/encoder.js'))).toBe('kafkajs');
    expect(componentOf(frame('x', 'file:///repo/node_modules/@opentelemetry/sdk-trace-base/build/src/Span.js'))).toBe('OpenTelemetry');
    expect(componentOf(frame('x', '/repo/node_modules/@nestjs/core/router/router-execution-context.js'))).toBe('NestJS');
    expect(componentOf(frame('x', '/repo/node_modules/pg-protocol/dist/parser.js'))).toBe('pg (node-postgres)');
    expect(componentOf(frame('x', '/repo/node_modules/ioredis/built/Redis.js'))).toBe('ioredis');
    expect(componentOf(frame('handle', '/repo/apps/notification-service/dist/notifications.consumer.js'))).toBe(
      'apps/notification-service',
    );
    expect(componentOf(frame('publish', '/repo/libs/messaging/dist/publisher.js'))).toBe('libs/messaging');
    expect(componentOf(frame('processTicksAndRejections', 'node:internal/process/task_queues'))).toBe('Node.js core');
    expect(componentOf(frame('(garbage collector)', ''))).toBe('GC');
  });
});

describe('summarizeProfile', () => {
  it('sums self samples per component as shares of the busy samples, idle left out, largest first', () => {
    const shares = summarizeProfile({
      nodes: [
        { id: 1, hitCount: 500, callFrame: frame('(idle)', '') },
        { id: 2, hitCount: 30, callFrame: frame('a', '/r/node_modules/kafkajs/a.js') },
        { id: 3, hitCount: 20, callFrame: frame('b', '/r/node_modules/kafkajs/b.js') },
        { id: 4, hitCount: 25, callFrame: frame('(garbage collector)', '') },
        { id: 5, hitCount: 25, callFrame: frame('c', '/r/libs/tracing/dist/c.js') },
        { id: 6, hitCount: 0, callFrame: frame('d', '/r/node_modules/pg/d.js') },
      ],
    });
    expect(shares).toEqual([
      { component: 'kafkajs', percent: 50 },
      { component: 'GC', percent: 25 },
      { component: 'libs/tracing', percent: 25 },
    ]);
  });
});

describe('summarizeAllocations', () => {
  it('sums the bytes each frame allocated itself per component, over the whole call tree', () => {
    const node = (functionName: string, url: string, selfSize: number, children: Parameters<typeof summarizeAllocations>[0][] = []) => ({
      callFrame: frame(functionName, url),
      selfSize,
      children,
    });
    const summary = summarizeAllocations(
      node('(root)', '', 0, [
        node('decode', '/r/node_modules/kafkajs/d.js', 600, [node('span', '/r/node_modules/@opentelemetry/api/s.js', 300)]),
        node('handle', '/r/apps/analytics-service/dist/h.js', 100, [node('more', '/r/node_modules/kafkajs/m.js', 0)]),
      ]),
    );
    expect(summary).toEqual({
      bytes: 1_000,
      shares: [
        { component: 'kafkajs', percent: 60 },
        { component: 'OpenTelemetry', percent: 30 },
        { component: 'apps/analytics-service', percent: 10 },
      ],
    });
  });
});

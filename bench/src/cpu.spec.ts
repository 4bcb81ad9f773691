import { cpuBetween } from './cpu';

describe('CPU seconds per component', () => {
  it('sums the instances of a component and counts only what was used between the readings', () => {
    const before = new Map([
      ['kafka-1', 10],
      ['analytics-service-1', 2],
      ['jaeger', 5],
    ]);
    const after = new Map([
      ['kafka-1', 14.5],
      ['analytics-service-1', 3],
      ['analytics-service-2', 1.5],
      ['jaeger', 5],
    ]);
    expect(cpuBetween(before, after)).toEqual({ kafka: 4.5, 'analytics-service': 2.5, jaeger: 0 });
  });
});

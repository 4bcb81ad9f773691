import { usageBetween } from './cpu';

describe('CPU seconds and context switches per component', () => {
  it('sums the instances of a component and counts only what was used between the readings', () => {
    const used = (cpuSeconds: number, contextSwitches: number) => ({ cpuSeconds, contextSwitches });
    const before = new Map([
      ['kafka-1', used(10, 1_000)],
      ['analytics-service-1', used(2, 50)],
      ['jaeger', used(5, 7)],
    ]);
    const after = new Map([
      ['kafka-1', used(14.5, 1_600)],
      ['analytics-service-1', used(3, 80)],
      ['analytics-service-2', used(1.5, 20)],
      ['jaeger', used(5, 7)],
    ]);
    expect(usageBetween(before, after)).toEqual({
      kafka: used(4.5, 600),
      'analytics-service': used(2.5, 50),
      jaeger: used(0, 0),
    });
  });
});

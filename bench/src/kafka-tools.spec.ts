import { parseConsumerPerformance, parseProducerPerformance } from './kafka-tools';

describe("parsing Kafka's perf tool reports", () => {
  it('reads the producer summary line, skipping the progress lines', () => {
    const out = [
      '240000 records sent, 47990.4 records/sec (23.43 MB/sec), 612.1 ms avg latency, 901.0 ms max latency.',
      '500000 records sent, 98464.750197 records/sec (48.08 MB/sec), 350.23 ms avg latency, 765.00 ms max latency, 343 ms 50th, 700 ms 95th, 750 ms 99th, 760 ms 99.9th.',
    ].join('\n');
    expect(parseProducerPerformance(out)).toEqual({
      records: 500000,
      recordsPerS: 98464.750197,
      mbPerS: 48.08,
      latencyMs: { avg: 350.23, p50: 343, p99: 750, max: 765 },
    });
  });

  it('reads the consumer report by column name', () => {
    const out = [
      'start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec',
      '2026-11-23 10:00:00:000, 2026-11-23 10:00:04:000, 244.1406, 61.0352, 500000, 125000.0000, 3000, 1000, 244.1406, 500000.0000',
    ].join('\n');
    expect(parseConsumerPerformance(out)).toEqual({ records: 500000, recordsPerS: 500000, mbPerS: 244.1406 });
  });

  it('fails loudly on output it does not understand', () => {
    expect(() => parseProducerPerformance('Exception in thread "main"')).toThrow(/unexpected ProducerPerformance output/);
    expect(() => parseConsumerPerformance('')).toThrow(/unexpected ConsumerPerformance output/);
  });
});

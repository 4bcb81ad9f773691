import { runKafkaTool } from '@fanout/local-stack';

export interface ProducerPerfResult {
  records: number;
  recordsPerS: number;
  mbPerS: number;
  latencyMs: { avg: number; p50: number; p99: number; max: number };
}

/** ProducerPerformance with acks=all: how fast this broker takes records of this size from a Java client. */
export async function producerPerformance(
  libs: string,
  bootstrap: string,
  clientConfig: string,
  topic: string,
  records: number,
  recordSize: number,
): Promise<ProducerPerfResult> {
  const out = await runKafkaTool(libs, 'org.apache.kafka.tools.ProducerPerformance', [
    '--topic',
    topic,
    '--num-records',
    String(records),
    '--record-size',
    String(recordSize),
    '--throughput',
    '-1',
    '--producer.config',
    clientConfig,
    '--producer-props',
    `bootstrap.servers=${bootstrap}`,
    'acks=all',
  ]);
  return parseProducerPerformance(out);
}

/** Parses the summary line, e.g. "500000 records sent, 98464.7 records/sec (48.08 MB/sec), 350.2 ms avg latency, …". */
export function parseProducerPerformance(output: string): ProducerPerfResult {
  const line = output
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.includes('records sent'));
  const m =
    line &&
    /^(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency, ([\d.]+) ms max latency, (\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th/.exec(
      line,
    );
  if (!m) throw new Error(`unexpected ProducerPerformance output:\n${output.slice(-1_000)}`);
  return {
    records: Number(m[1]),
    recordsPerS: Number(m[2]),
    mbPerS: Number(m[3]),
    latencyMs: { avg: Number(m[4]), max: Number(m[5]), p50: Number(m[6]), p99: Number(m[8]) },
  };
}

export interface ConsumerPerfResult {
  records: number;
  /** Records/s while fetching (rebalance time excluded), the figure comparable to a drain rate. */
  recordsPerS: number;
  mbPerS: number;
}

/** ConsumerPerformance: how fast one Java consumer reads the topic back. */
export async function consumerPerformance(
  libs: string,
  bootstrap: string,
  clientConfig: string,
  topic: string,
  records: number,
): Promise<ConsumerPerfResult> {
  const out = await runKafkaTool(libs, 'org.apache.kafka.tools.ConsumerPerformance', [
    '--bootstrap-server',
    bootstrap,
    '--command-config',
    clientConfig,
    '--topic',
    topic,
    '--messages',
    String(records),
    '--group',
    `bench-perf-${Date.now()}`,
    '--timeout',
    '60000',
  ]);
  return parseConsumerPerformance(out);
}

/** Parses the header line and the values line of ConsumerPerformance's report. */
export function parseConsumerPerformance(output: string): ConsumerPerfResult {
  const lines = output
    .trim()
    .split('\n')
    .map((l) => l.split(',').map((f) => f.trim()));
  const headerIndex = lines.findIndex((fields) => fields.includes('fetch.nMsg.sec'));
  const header = lines[headerIndex];
  const values = lines[headerIndex + 1];
  if (!header || !values) throw new Error(`unexpected ConsumerPerformance output:\n${output.slice(-1_000)}`);
  const field = (name: string) => Number(values[header.indexOf(name)]);
  return { records: field('data.consumed.in.nMsg'), recordsPerS: field('fetch.nMsg.sec'), mbPerS: field('fetch.MB.sec') };
}

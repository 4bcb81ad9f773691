import type { DrainResult } from './drain';
import type { GroupLatency } from './fanout-latency';
import type { MemoryPeak, ProcessProfile } from './fleet';
import type { ConsumerPerfResult, ProducerPerfResult } from './kafka-tools';
import type { LoadResult } from './load';
import type { SpanCounts } from './spans';

export interface BenchReport {
  startedAt: string;
  durationS: number;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; kafka: string; brokers: number; partitions: number };
  settings: { backlog: number; ingestSeconds: number; latencySeconds: number; concurrency: number[] };
  anchors: { producer: ProducerPerfResult; consumer: ConsumerPerfResult; recordBytes: number };
  ingest: { tracingOn: LoadResult[]; tracingOff: LoadResult };
  fanout: { rate: number; load: LoadResult; groups: GroupLatency[] }[];
  /** `spans`: per group, spans its instances ended and exported during the traced drain. */
  drain: { tracingOn: DrainResult[]; tracingOff: DrainResult[]; spans: Record<string, SpanCounts> };
  naive: { ingest: LoadResult[]; drain: { events: number; seconds: number; eventsPerS: number } };
  /** CPU seconds per component during a phase: where the 2 cores went. */
  cpu: { phase: string; wallSeconds: number; seconds: Record<string, number> }[];
  /** Each process's peak resident memory, and what it was made of. */
  memory: Record<string, MemoryPeak>;
  /** CPU self time and bytes allocated per component of one instance of each service, from V8's samplers; `events` it handled meanwhile. */
  profiles: ({ phase: string; process: string; events: number } & ProcessProfile)[];
}

export interface Verdict {
  target: string;
  measured: string;
  met: boolean;
}

const best = (runs: LoadResult[]): LoadResult => runs.reduce((a, b) => (b.requestsPerS > a.requestsPerS ? b : a));
const n = (value: number | undefined, digits = 0) =>
  value === undefined ? '–' : value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(a / b < 0.1 ? 3 : 2)}×` : '–'); // 0.005×, not 0.00×
const minRate = (drains: DrainResult[]) => Math.min(...drains.map((d) => d.eventsPerS));

/** Each target of the issue against what this run measured. */
export function verdicts(r: BenchReport): Verdict[] {
  const ingest = best(r.ingest.tracingOn);
  const sameConcurrencyOn = r.ingest.tracingOn.find((l) => l.connections === r.ingest.tracingOff.connections) ?? ingest;
  const at2000 = r.fanout.find((f) => f.rate === 2_000);
  const worstP99 = at2000 ? Math.max(...at2000.groups.map((g) => g.p99Ms ?? Infinity)) : Infinity;
  const drain = minRate(r.drain.tracingOn);
  const naiveIngest = best(r.naive.ingest);
  const tracingIngestCost = 1 - sameConcurrencyOn.requestsPerS / r.ingest.tracingOff.requestsPerS;
  const tracingDrainCost = 1 - drain / minRate(r.drain.tracingOff);
  const peak = Math.max(
    ...Object.entries(r.memory)
      .filter(([name]) => !name.startsWith('naive'))
      .map(([, m]) => m.peakRssMb),
  );
  return [
    {
      target: 'ingest ≥ 10,000 orders/s with p99 ≤ 30 ms',
      measured: `${n(ingest.requestsPerS)}/s, p99 ${ingest.latencyMs.p99} ms (${ingest.connections} connections)`,
      met: r.ingest.tracingOn.some((l) => l.requestsPerS >= 10_000 && l.latencyMs.p99 <= 30),
    },
    {
      target: 'fan-out p99 ≤ 50 ms per group at 2,000 orders/s',
      measured: `worst group p99 ${n(worstP99, 1)} ms at ${n(at2000?.load.requestsPerS)} orders/s achieved`,
      met: worstP99 <= 50 && (at2000?.load.requestsPerS ?? 0) >= 1_900,
    },
    { target: 'drain ≥ 50,000 events/s per group', measured: `slowest group ${n(drain)}/s`, met: drain >= 50_000 },
    {
      target: "producer path ≥ 0.5× Kafka's ProducerPerformance",
      measured: ratio(ingest.requestsPerS, r.anchors.producer.recordsPerS),
      met: ingest.requestsPerS >= 0.5 * r.anchors.producer.recordsPerS,
    },
    {
      target: "consumer path ≥ 0.5× Kafka's ConsumerPerformance",
      measured: ratio(drain, r.anchors.consumer.recordsPerS),
      met: drain >= 0.5 * r.anchors.consumer.recordsPerS,
    },
    {
      target: '≥ 5× the naive baseline on ingest',
      measured: ratio(ingest.requestsPerS, naiveIngest.requestsPerS),
      met: ingest.requestsPerS >= 5 * naiveIngest.requestsPerS,
    },
    {
      target: '≥ 5× the naive baseline on drain',
      measured: ratio(drain, r.naive.drain.eventsPerS),
      met: drain >= 5 * r.naive.drain.eventsPerS,
    },
    {
      target: 'tracing costs ≤ 10% throughput (ingest)',
      measured: `${(tracingIngestCost * 100).toFixed(1)}%`,
      met: tracingIngestCost <= 0.1,
    },
    { target: 'tracing costs ≤ 10% throughput (drain)', measured: `${(tracingDrainCost * 100).toFixed(1)}%`, met: tracingDrainCost <= 0.1 },
    { target: 'peak RSS ≤ 200 MB per service', measured: `highest ${n(peak)} MB`, met: peak <= 200 },
  ];
}

const table = (header: string[], rows: (string | number)[][]) =>
  [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');

const loadRow = (label: string, l: LoadResult, anchor: number) => [
  label,
  l.connections,
  n(l.requestsPerS),
  l.latencyMs.p50,
  l.latencyMs.p99,
  l.latencyMs.max,
  l.non2xx + l.errors,
  ratio(l.requestsPerS, anchor),
];

const spansExported = (s: SpanCounts | undefined) => (s && s.ended > 0 ? `${n((100 * s.exported) / s.ended)}% of ${n(s.ended)}` : '–');

/** The whole report as Markdown: what ran, on what, every figure with its ratio to the anchors. */
export function toMarkdown(r: BenchReport): string {
  const m = r.machine;
  const producerAnchor = r.anchors.producer.recordsPerS;
  const consumerAnchor = r.anchors.consumer.recordsPerS;
  const naiveIngest = best(r.naive.ingest).requestsPerS;
  const naiveDrain = r.naive.drain.eventsPerS;
  const loadHeader = ['run', 'connections', 'orders/s', 'p50 ms', 'p99 ms', 'max ms', 'errors', '× ProducerPerformance'];
  const drainRow = (tracing: string, d: DrainResult) => [
    tracing,
    d.group,
    n(d.events),
    n(d.seconds, 1),
    n(d.eventsPerS),
    n(d.startupS, 1),
    ratio(d.eventsPerS, consumerAnchor),
    ratio(d.eventsPerS, naiveDrain),
  ];
  return [
    `# Fanout benchmark — ${r.startedAt}`,
    '',
    `Machine: ${m.cpus} cores (${m.cpuModel}), ${m.memoryGiB} GiB; Node ${m.node}; Kafka ${m.kafka}, ${m.brokers} broker(s), ${m.partitions} partitions; everything on this one machine. Run took ${n(r.durationS)} s.`,
    '',
    '## Targets',
    table(
      ['target', 'measured', 'met'],
      verdicts(r).map((v) => [v.target, v.measured, v.met ? 'yes' : '**no**']),
    ),
    '',
    '## Anchors (same broker, same run)',
    table(
      ['tool', 'records/s', 'MB/s', 'notes'],
      [
        [
          'Kafka ProducerPerformance (acks=all)',
          n(producerAnchor),
          n(r.anchors.producer.mbPerS, 1),
          `${r.anchors.producer.records} records of ${r.anchors.recordBytes} B, p99 ${r.anchors.producer.latencyMs.p99} ms`,
        ],
        [
          'Kafka ConsumerPerformance',
          n(consumerAnchor),
          n(r.anchors.consumer.mbPerS, 1),
          `${r.anchors.consumer.records} records, fetch rate`,
        ],
        ['naive NestJS ingest (best)', n(naiveIngest), '', 'stock ClientKafka, emit per request'],
        ['naive NestJS drain', n(naiveDrain), '', 'stock Kafka transport, eachMessage + auto-commit'],
      ],
    ),
    '',
    '## Ingest: POST /orders (consumers stopped, acks=all)',
    table(
      [...loadHeader, '× naive'],
      [
        ...r.ingest.tracingOn.map((l) => [...loadRow('tracing on', l, producerAnchor), ratio(l.requestsPerS, naiveIngest)]),
        [...loadRow('tracing off', r.ingest.tracingOff, producerAnchor), ratio(r.ingest.tracingOff.requestsPerS, naiveIngest)],
        ...r.naive.ingest.map((l) => [...loadRow('naive', l, producerAnchor), '1.00×']),
      ],
    ),
    '',
    "## Fan-out latency: producer's send → end of each group's processing",
    table(
      ['asked', 'achieved', 'HTTP p99 ms', 'group', 'events', 'p50 ms', 'p99 ms'],
      r.fanout.flatMap((f) =>
        f.groups.map((g) => [
          `${n(f.rate)}/s`,
          `${n(f.load.requestsPerS)}/s`,
          f.load.latencyMs.p99,
          g.group,
          n(g.events),
          n(g.p50Ms, 1),
          n(g.p99Ms, 1),
        ]),
      ),
    ),
    '',
    `## Backlog drain: ${n(r.settings.backlog)} events waiting, all groups started together`,
    table(
      ['tracing', 'group', 'events', 'seconds', 'events/s', 'start-up s', '× ConsumerPerformance', '× naive', 'spans exported of ended'],
      [
        ...r.drain.tracingOn.map((d) => [...drainRow('on', d), spansExported(r.drain.spans[d.group])]),
        ...r.drain.tracingOff.map((d) => [...drainRow('off', d), '–']),
      ],
    ),
    '',
    `## Where the CPU went (CPU seconds per process group; ${m.cpus} cores give ${m.cpus} s per wall second)`,
    cpuTable(r.cpu),
    '',
    '## Peak memory (VmHWM, highest over every restart in the run), and what RSS was made of at its highest sample (MB)',
    memoryTable(r.memory),
    '',
    '## Where each process spent its CPU and what it allocated (tracing on; raw profiles in bench/results/profiles)',
    'CPU: self time, % of busy samples. Allocated: bytes allocated by each component, collected or not, sampled every 64 KB.',
    '',
    ...r.profiles.flatMap((p) => [
      `**${p.process}**, ${p.phase}`,
      `- CPU: ${shareList(p.cpu)}`,
      `- allocated ${n(p.allocation.bytes / 2 ** 20)} MB, ${n(p.allocation.bytes / 1024 / Math.max(1, p.events), 1)} KB per event: ${shareList(p.allocation.shares)}`,
      '',
    ]),
  ].join('\n');
}

const shareList = (shares: ProcessProfile['cpu']) => shares.map((s) => `${s.component} ${n(s.percent, 1)}%`).join(' · ');

function memoryTable(memory: BenchReport['memory']): string {
  const header = [
    'process',
    'peak RSS',
    'RSS at peak sample',
    'file-backed (node binary, shared)',
    'V8 young gen.',
    'V8 old gen. + code',
    'Buffers',
    'other native',
  ];
  return table(
    header,
    Object.entries(memory).map(([name, { peakRssMb, atPeak: b }]) => [
      name,
      n(peakRssMb),
      ...(b
        ? [b.rssMb, b.fileBackedMb, b.youngGenerationMb, b.oldGenerationMb, b.externalMb, b.otherNativeMb].map((mb) => n(mb))
        : header.slice(2).map(() => '–')),
    ]),
  );
}

function cpuTable(phases: BenchReport['cpu']): string {
  const components = [...new Set(phases.flatMap((p) => Object.keys(p.seconds)))].sort();
  return table(
    ['phase', 'wall s', ...components],
    phases.map((p) => [p.phase, n(p.wallSeconds, 1), ...components.map((c) => n(p.seconds[c], 1))]),
  );
}

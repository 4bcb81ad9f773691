import type { DrainResult } from './drain';
import type { GroupLatency } from './fanout-latency';
import type { MemoryPeak, ProcessProfile } from './fleet';
import type { ConsumerPerfResult, ProducerPerfResult } from './kafka-tools';
import type { LoadResult } from './load';
import type { SpanCounts } from './spans';
import { describeTracing, type TracingMode } from './tracing-mode';
import type { WakeUpCost } from './wake-up-cost';

/** What one process spent per request at a steady rate (CPU of all its threads, and their context switches). */
export interface SteadyCost {
  ratePerS: number;
  requests: number;
  cpuMsPerRequest: number;
  contextSwitchesPerRequest: number;
}

export interface BenchReport {
  startedAt: string;
  durationS: number;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; kafka: string; brokers: number; partitions: number };
  settings: { backlog: number; ingestSeconds: number; latencySeconds: number; concurrency: number[] };
  anchors: {
    producer: ProducerPerfResult;
    consumer: ConsumerPerfResult;
    recordBytes: number;
    bareFastify: LoadResult;
    /** The bare Fastify route at the steady rate of the CPU-per-order target: the HTTP hop's own floor there. */
    bareFastifySteady: SteadyCost;
    wakeUp: WakeUpCost;
  };
  /** `tracingOn`: production sampling. */
  ingest: { tracingOn: LoadResult[]; tracingOff: LoadResult };
  /**
   * `cpuMsPerOrder`: CPU of the order's path (broker, the four services, PostgreSQL, Redis) during the phase, per
   * order accepted; `switchesPerOrder`: the context switches of the same processes' threads, per order; `switches`:
   * each component's context switches during the phase (`phase`, as the CPU table names it).
   */
  fanout: {
    phase: string;
    rate: number;
    tracing: TracingMode;
    load: LoadResult;
    groups: GroupLatency[];
    cpuMsPerOrder: number;
    switchesPerOrder: number;
    switches: Record<string, number>;
  }[];
  /** `spans`: per group, spans its instances ended and exported during each traced drain. */
  drain: {
    fullSampling: DrainResult[];
    productionSampling: DrainResult[];
    tracingOff: DrainResult[];
    spans: { full: Record<string, SpanCounts>; production: Record<string, SpanCounts> };
  };
  naive: { ingest: LoadResult[]; drain: { events: number; seconds: number; eventsPerS: number } };
  /** CPU seconds and context switches per component during a phase: where the 2 cores went. */
  cpu: { phase: string; wallSeconds: number; seconds: Record<string, number>; contextSwitches: Record<string, number> }[];
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

const fanoutAt = (r: BenchReport, rate: number, sampling: number) =>
  r.fanout.find((f) => f.rate === rate && f.tracing !== 'off' && f.tracing.sampling === sampling);
const worstP99 = (f: BenchReport['fanout'][number] | undefined) => (f ? Math.max(...f.groups.map((g) => g.p99Ms ?? Infinity)) : Infinity);
const drainOf = (drains: DrainResult[], group: string) => drains.find((d) => d.group === group)?.eventsPerS ?? 0;

/** Each target of the issue against what this run measured. */
export function verdicts(r: BenchReport): Verdict[] {
  const at64 = r.ingest.tracingOn.find((l) => l.connections === 64);
  const ingest = best(r.ingest.tracingOn);
  const sameConcurrencyOn = r.ingest.tracingOn.find((l) => l.connections === r.ingest.tracingOff.connections) ?? ingest;
  const naiveIngest = best(r.naive.ingest);
  const full500 = fanoutAt(r, 500, 1);
  const production500 = fanoutAt(r, 500, 0.05);
  const production2000 = fanoutAt(r, 2_000, 0.05);
  const drains = r.drain.productionSampling;
  const notification = drainOf(drains, 'notification');
  const others = Math.min(drainOf(drains, 'analytics'), drainOf(drains, 'cache-refresh'));
  const tracingIngestCost = 1 - sameConcurrencyOn.requestsPerS / r.ingest.tracingOff.requestsPerS;
  const tracingDrainCost = 1 - minRate(drains) / minRate(r.drain.tracingOff);
  const peak = Math.max(
    ...Object.entries(r.memory)
      .filter(([name]) => !name.startsWith('naive') && !name.startsWith('bare'))
      .map(([, m]) => m.peakRssMb),
  );
  return [
    {
      target: 'ingest ≥ 7,000 orders/s with p99 ≤ 50 ms at 64 connections (production sampling)',
      measured: at64 ? `${n(at64.requestsPerS)}/s, p99 ${at64.latencyMs.p99} ms` : 'not run',
      met: !!at64 && at64.requestsPerS >= 7_000 && at64.latencyMs.p99 <= 50,
    },
    {
      target: 'ingest ≥ 2× the naive baseline',
      measured: ratio(ingest.requestsPerS, naiveIngest.requestsPerS),
      met: ingest.requestsPerS >= 2 * naiveIngest.requestsPerS,
    },
    {
      target: 'ingest ≥ 0.3× the bare Fastify route',
      measured: `${ratio(ingest.requestsPerS, r.anchors.bareFastify.requestsPerS)} (Fastify ${n(r.anchors.bareFastify.requestsPerS)}/s)`,
      met: ingest.requestsPerS >= 0.3 * r.anchors.bareFastify.requestsPerS,
    },
    {
      target: 'CPU per order at a steady 500/s ≤ 1.0 ms end to end (production sampling; broker, services, PostgreSQL, Redis)',
      measured: `${n(production500?.cpuMsPerOrder, 2)} ms (sampling 1.0: ${n(full500?.cpuMsPerOrder, 2)} ms; a bare Fastify route alone: ${n(r.anchors.bareFastifySteady.cpuMsPerRequest, 2)} ms)`,
      met: (production500?.cpuMsPerOrder ?? Infinity) <= 1,
    },
    {
      target: 'fan-out p99 ≤ 50 ms at 500/s, sampling 1.0',
      measured: `worst group p99 ${n(worstP99(full500), 1)} ms`,
      met: worstP99(full500) <= 50,
    },
    {
      target: 'fan-out p99 ≤ 100 ms at a steady 2,000/s achieved (production sampling)',
      measured: `worst group p99 ${n(worstP99(production2000), 1)} ms at ${n(production2000?.load.requestsPerS)}/s achieved`,
      met: worstP99(production2000) <= 100 && (production2000?.load.requestsPerS ?? 0) >= 1_900,
    },
    {
      target: 'drain ≥ 12,000 events/s notification, ≥ 20,000 analytics and cache-refresh (production sampling)',
      measured: `notification ${n(notification)}/s, slower of the others ${n(others)}/s`,
      met: notification >= 12_000 && others >= 20_000,
    },
    {
      target: 'tracing costs ≤ 10% at production sampling (ingest)',
      measured: `${(tracingIngestCost * 100).toFixed(1)}%`,
      met: tracingIngestCost <= 0.1,
    },
    {
      target: 'tracing costs ≤ 10% at production sampling (drain)',
      measured: `${(tracingDrainCost * 100).toFixed(1)}%`,
      met: tracingDrainCost <= 0.1,
    },
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
  const drainRow = (tracing: string, d: DrainResult, spans?: Record<string, SpanCounts>) => [
    tracing,
    d.group,
    n(d.events),
    n(d.seconds, 1),
    n(d.eventsPerS),
    n(d.startupS, 1),
    ratio(d.eventsPerS, consumerAnchor),
    ratio(d.eventsPerS, naiveDrain),
    spansExported(spans?.[d.group]),
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
        [
          'bare Fastify route',
          n(r.anchors.bareFastify.requestsPerS),
          '',
          `POST answered 202, 64 connections, p99 ${r.anchors.bareFastify.latencyMs.p99} ms`,
        ],
        [
          'bare Fastify route at a steady rate',
          n(r.anchors.bareFastifySteady.ratePerS),
          '',
          `the HTTP hop alone at that rate: ${n(r.anchors.bareFastifySteady.cpuMsPerRequest, 3)} ms of CPU and ${n(r.anchors.bareFastifySteady.contextSwitchesPerRequest, 1)} context switches per request`,
        ],
        [
          'bare TCP echo, one message at a time',
          n(r.anchors.wakeUp.ratePerS),
          '',
          `the cost of one wake-up: ${n(r.anchors.wakeUp.cpuUsPerMessage)} µs of CPU and ${n(r.anchors.wakeUp.contextSwitchesPerMessage, 1)} context switches per message`,
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
        ...r.ingest.tracingOn.map((l) => [...loadRow('sampling 0.05', l, producerAnchor), ratio(l.requestsPerS, naiveIngest)]),
        [...loadRow('tracing off', r.ingest.tracingOff, producerAnchor), ratio(r.ingest.tracingOff.requestsPerS, naiveIngest)],
        ...r.naive.ingest.map((l) => [...loadRow('naive', l, producerAnchor), '1.00×']),
      ],
    ),
    '',
    "## Fan-out latency: producer's send → end of each group's processing",
    table(
      [
        'asked',
        'tracing',
        'achieved',
        'CPU ms per order',
        'context switches per order',
        'HTTP p99 ms',
        'group',
        'events',
        'p50 ms',
        'p99 ms',
      ],
      r.fanout.flatMap((f) =>
        f.groups.map((g) => [
          `${n(f.rate)}/s`,
          describeTracing(f.tracing),
          `${n(f.load.requestsPerS)}/s`,
          n(f.cpuMsPerOrder, 2),
          n(f.switchesPerOrder, 1),
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
        ...r.drain.fullSampling.map((d) => drainRow('sampling 1.0', d, r.drain.spans.full)),
        ...r.drain.productionSampling.map((d) => drainRow('sampling 0.05', d, r.drain.spans.production)),
        ...r.drain.tracingOff.map((d) => drainRow('off', d)),
      ],
    ),
    '',
    `## Where the CPU went (CPU seconds per process group; ${m.cpus} cores give ${m.cpus} s per wall second)`,
    cpuTable(r.cpu),
    '',
    '## Context switches per order at each steady rate (every thread of each process group; about one per wake-up)',
    switchesTable(r.fanout),
    '',
    '## Peak memory (VmHWM, highest over every restart in the run, profiled ones excepted), and what RSS was made of at its highest sample (MB)',
    memoryTable(r.memory),
    '',
    '## Where each process spent its CPU and what it allocated (sampling 0.05; raw profiles in bench/results/profiles)',
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

export function memoryTable(memory: BenchReport['memory']): string {
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

/** The fan-out phases' context switches per order accepted, by component: which hop wakes up how often. */
export function switchesTable(fanout: BenchReport['fanout']): string {
  const components = [...new Set(fanout.flatMap((f) => Object.keys(f.switches)))].sort();
  return table(
    ['phase', 'orders', ...components],
    fanout.map((f) => [f.phase, n(f.load.accepted), ...components.map((c) => n((f.switches[c] ?? 0) / Math.max(1, f.load.accepted), 1))]),
  );
}

export function cpuTable(phases: BenchReport['cpu']): string {
  const components = [...new Set(phases.flatMap((p) => Object.keys(p.seconds)))].sort();
  return table(
    ['phase', 'wall s', ...components],
    phases.map((p) => [p.phase, n(p.wallSeconds, 1), ...components.map((c) => n(p.seconds[c], 1))]),
  );
}

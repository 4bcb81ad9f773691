#!/usr/bin/env node
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { CONSUMER_GROUPS, ORDERS_TOPIC } from '@fanout/contracts';
import {
  adminClientProperties,
  adminKafkaConnection,
  devToken,
  httpOk,
  installKafkaTools,
  KAFKA_ADMIN,
  KAFKA_VERSION,
  kafkaCredentials,
  startStack,
  type Stack,
} from '@fanout/local-stack';
import { createKafka, ensureTopics, type Kafka } from '@fanout/messaging';
import { usageBetween, usageByProcess } from './cpu';
import { measureWakeUpCost } from './wake-up-cost';
import { lag, measureRate, preloadOrders, waitCaughtUp, watchDrain } from './drain';
import { latencyBetween, scrapeLatency } from './fanout-latency';
import { Fleet, type ProcessProfile } from './fleet';
import { consumerPerformance, producerPerformance } from './kafka-tools';
import { postOrders, type LoadResult } from './load';
import { postOrdersAtRate } from './paced-load';
import { scrapeSpanCounts } from './spans';
import { NAIVE_GROUP_AS_NAMED, NAIVE_TOPIC } from './naive/topics';
import { cpuTable, memoryTable, switchesTable, toMarkdown, verdicts, type BenchReport, type SteadyCost } from './report';
import { describeTracing, FULL_SAMPLING, PRODUCTION_SAMPLING, withHeadSampling, type TracingMode } from './tracing-mode';

const REPO = resolve(__dirname, '..', '..');
const PERF_TOPIC = 'bench.kafka-perf';
const RECORD_BYTES = 512; // an OrderCreated record: ~330 B of JSON value plus ~180 B of CloudEvents/trace headers
const GROUPS = Object.values(CONSUMER_GROUPS);
/** Steady load before a fan-out phase is measured (after the stack starts, after the services restart), and before order-service is profiled. */
const WARM_UP_S = { freshStack: 40, restartedServices: 10, profiledIngest: 5 };

/** The benchmark's phases, in the order a full run takes them; `--only` runs a subset (no report, figures printed). */
const PHASES = ['fanout', 'ingest', 'anchors', 'drain', 'profiles'] as const;
type Phase = (typeof PHASES)[number];

interface Options {
  brokers: number;
  phases: Set<Phase>;
  backlog: number;
  ingestSeconds: number;
  latencySeconds: number;
  concurrency: number[];
  /** Heap profiles of survivors only (profile-preload.ts). */
  survivors: boolean;
}

function parseOptions(argv: string[]): Options {
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const quick = argv.includes('--quick'); // a smoke run: small sizes, same phases
  const int = (name: string, fallback: number) => {
    const v = Number(value(name) ?? fallback);
    if (!Number.isInteger(v) || v <= 0) throw new Error(`${name} must be a positive integer`);
    return v;
  };
  return {
    brokers: int('--brokers', 1),
    backlog: int('--backlog', quick ? 20_000 : 200_000),
    ingestSeconds: int('--ingest-seconds', quick ? 3 : 10),
    latencySeconds: int('--latency-seconds', quick ? 5 : 30),
    concurrency: (value('--concurrency') ?? '16,64,256').split(',').map(Number),
    phases: parsePhases(value('--only')),
    survivors: argv.includes('--survivors'),
  };
}

function parsePhases(list: string | undefined): Set<Phase> {
  if (list === undefined) return new Set(PHASES);
  const asked = list.split(',').map((p) => p.trim());
  const unknown = asked.filter((p) => !(PHASES as readonly string[]).includes(p));
  if (unknown.length > 0) throw new Error(`--only takes ${PHASES.join(', ')} (comma-separated), not ${unknown.join(', ')}`);
  return new Set(asked as Phase[]);
}

const started = Date.now();
const say = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  process.env.FANOUT_STATE_DIR ??= join(REPO, '.fanout', 'bench');
  if (o.survivors) process.env.FANOUT_PROFILE_SURVIVORS = '1'; // read by the profiled processes, which inherit it
  const stack = await startStack({ fresh: true, brokers: o.brokers, tracing: true }, (line) => say(line));
  const stopOnSignal = () => void stack.stop().then(() => process.exit(130));
  process.once('SIGINT', stopOnSignal).once('SIGTERM', stopOnSignal);
  try {
    const measured = await run(stack, o);
    if (!isComplete(measured)) {
      console.log(`\n## Where the CPU went (CPU seconds per process group)\n${cpuTable(measured.cpu)}`);
      if (measured.fanout.length > 0) console.log(`\n## Context switches per order\n${switchesTable(measured.fanout)}`);
      console.log(`\n## Peak memory (MB)\n${memoryTable(measured.memory)}`);
      say('a partial run (--only): the figures above, no report');
      return;
    }
    const report = measured;
    const md = toMarkdown(report);
    const dir = join(REPO, 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    const stamp = report.startedAt.replace(/[:.]/g, '-');
    writeFileSync(join(dir, `${stamp}.json`), JSON.stringify(report, null, 2));
    writeFileSync(join(dir, `${stamp}.md`), md);
    writeFileSync(join(dir, 'latest.md'), md);
    console.log(`\n${md}`);
    say(`report written to bench/results/${stamp}.{json,md} (and latest.md)`);
    const missed = verdicts(report).filter((v) => !v.met).length;
    say(missed === 0 ? 'every target met' : `${missed} target(s) not met: see the table above`);
  } finally {
    say('stopping the stack…');
    await stack.stop();
  }
}

const isComplete = (m: Measured): m is BenchReport => !!(m.anchors && m.ingest && m.drain && m.naive && m.profiles.length > 0);

/** A back office's bearer token, as a real client sends one: order-service verifies it on every request. */
async function benchAuthorization(stack: Stack): Promise<string> {
  return `Bearer ${await devToken(stack.settings, { client: 'fanout-bench', scopes: ['orders:write'] })}`;
}

/** What a run measured; a partial run (`--only`) leaves out the phases it skipped and makes no report. */
type Measured = Omit<BenchReport, 'anchors' | 'ingest' | 'drain' | 'naive'> &
  Partial<Pick<BenchReport, 'anchors' | 'ingest' | 'drain' | 'naive'>>;

async function run(stack: Stack, o: Options): Promise<Measured> {
  const startedAt = new Date().toISOString();
  const fleet = new Fleet(stack, join(REPO, 'bench', 'results', 'profiles', startedAt.replace(/[:.]/g, '-')));
  const admin = kafkaCredentials(stack.settings, KAFKA_ADMIN);
  const kafka = createKafka(adminKafkaConnection(stack.settings, 'fanout-bench'));
  const replication = Math.min(3, o.brokers);
  await ensureTopics(
    kafka,
    [PERF_TOPIC, NAIVE_TOPIC].map((topic) => ({ topic, numPartitions: stack.settings.partitions, replicationFactor: replication })),
  );
  const url = stack.orderServiceUrl;
  const authorization = await benchAuthorization(stack);

  const cpu: BenchReport['cpu'] = [];
  const measuringCpu = async <T>(phase: string, work: () => Promise<T>): Promise<T> => {
    const before = usageByProcess(stack.supervisor);
    const started = Date.now();
    const result = await work();
    const used = Object.entries(usageBetween(before, usageByProcess(stack.supervisor)));
    cpu.push({
      phase,
      wallSeconds: (Date.now() - started) / 1000,
      seconds: Object.fromEntries(used.map(([component, u]) => [component, u.cpuSeconds])),
      contextSwitches: Object.fromEntries(used.map(([component, u]) => [component, u.contextSwitches])),
    });
    return result;
  };

  say('restarting the services with the memory sampler loaded');
  await fleet.restart(stack.services, { tracing: FULL_SAMPLING });

  const fanout: BenchReport['fanout'] = [];
  if (o.phases.has('fanout')) {
    say(`fan-out latency: steady rates (open loop) for ${o.latencySeconds} s each, every group running`);
    // Warm-up. The stack was just started: the broker's JVM compiles its hot paths over its first ~15,000
    // requests (measured: Kafka used 12.8 CPU-s in a first 30 s at 500/s, 8.2 in the next ones), so a
    // short warm-up measured a JVM's start-up, not a steady 500/s.
    await postOrdersAtRate(url, { authorization, ratePerS: 500, durationS: WARM_UP_S.freshStack });
    await waitCaughtUp(kafka, ORDERS_TOPIC, GROUPS, 120_000);
    for (const [rate, tracing] of [
      [500, FULL_SAMPLING],
      [500, PRODUCTION_SAMPLING],
      [2_000, PRODUCTION_SAMPLING],
    ] as const) {
      if (tracing !== (fanout.at(-1)?.tracing ?? FULL_SAMPLING)) {
        await fleet.restart(stack.services, { tracing });
        await postOrdersAtRate(url, { authorization, ratePerS: rate, durationS: WARM_UP_S.restartedServices }); // the services' JIT
        await waitCaughtUp(kafka, ORDERS_TOPIC, GROUPS, 120_000);
      }
      const before = await scrapeLatency(fleet.consumers);
      const phase = `fan-out at ${rate}/s, ${describeTracing(tracing)}`;
      const load = await measuringCpu(phase, () => postOrdersAtRate(url, { authorization, ratePerS: rate, durationS: o.latencySeconds }));
      await waitCaughtUp(kafka, ORDERS_TOPIC, GROUPS, 120_000);
      const groups = latencyBetween(before, await scrapeLatency(fleet.consumers));
      const cpuMsPerOrder = (1000 * onOrderPath(cpu.at(-1)!.seconds)) / Math.max(1, load.accepted);
      const switches = cpu.at(-1)!.contextSwitches;
      const switchesPerOrder = onOrderPath(switches) / Math.max(1, load.accepted);
      fanout.push({ rate, tracing, load, groups, cpuMsPerOrder, switchesPerOrder, phase, switches });
      say(
        `  ${phase}: ${describe(load)}; ${groups.map((g) => `${g.group} p50 ${g.p50Ms?.toFixed(1)} p99 ${g.p99Ms?.toFixed(1)} ms`).join(', ')}; ${cpuMsPerOrder.toFixed(2)} ms CPU and ${switchesPerOrder.toFixed(1)} context switches per order`,
      );
    }
  }

  // Ingest and the drains need the consumers stopped: the ingest leaves the backlog the drains then take.
  await fleet.stop(fleet.consumers);
  let ingest: BenchReport['ingest'] | undefined;
  if (o.phases.has('ingest')) {
    say('ingest: consumers stopped, so POST /orders has the machine to itself (their backlog is drained later)');
    await fleet.restart([fleet.orderService], { tracing: PRODUCTION_SAMPLING });
    // Warm, as in a full run the traced runs follow the fan-out phases: a cold process ran at 60% of a warm one.
    await postOrders(url, { authorization, connections: 64, durationS: o.ingestSeconds });
    const tracingOn: LoadResult[] = [];
    for (const connections of o.concurrency) {
      tracingOn.push(
        await measuringCpu(`ingest, ${connections} connections`, () =>
          postOrders(url, { authorization, connections, durationS: o.ingestSeconds }),
        ),
      );
      say(`  ${connections} connections, ${describeTracing(PRODUCTION_SAMPLING)}: ${describe(tracingOn.at(-1)!)}`);
    }
    const bestConnections = tracingOn.reduce((a, b) => (b.requestsPerS > a.requestsPerS ? b : a)).connections;
    await fleet.restart([fleet.orderService], { tracing: 'off' });
    await postOrders(url, { authorization, connections: bestConnections, durationS: o.ingestSeconds });
    const tracingOff = await measuringCpu(`ingest, ${bestConnections} connections, tracing off`, () =>
      postOrders(url, { authorization, connections: bestConnections, durationS: o.ingestSeconds }),
    );
    say(`  tracing off, ${bestConnections} connections: ${describe(tracingOff)}`);
    await fleet.restart([fleet.orderService], { tracing: PRODUCTION_SAMPLING });
    ingest = { tracingOn, tracingOff };
  }

  let anchors: BenchReport['anchors'] | undefined;
  let naiveIngest: LoadResult[] = [];
  if (o.phases.has('anchors')) {
    ({ anchors, naiveIngest } = await measureAnchors(stack, fleet, o, admin));
  }

  let drain: BenchReport['drain'] | undefined;
  let naiveDrain: BenchReport['naive']['drain'] | undefined;
  if (o.phases.has('drain')) {
    const backlog = async (tracing: TracingMode) => {
      const missing = Math.max(0, o.backlog - (await lag(kafka, ORDERS_TOPIC, CONSUMER_GROUPS.analytics)));
      say(
        `backlog drain, ${describeTracing(tracing)}: pre-loading ${missing.toLocaleString()} events (backlog ${o.backlog.toLocaleString()})`,
      );
      // The backlog carries each order's sampling decision in its traceparent, as order-service would have made it.
      await withHeadSampling(tracing, () =>
        preloadOrders(kafka, missing, (done) => done % 120_000 === 0 && say(`  pre-loaded ${done.toLocaleString()}`)),
      );
      const watching = watchDrain(kafka, ORDERS_TOPIC, GROUPS, { timeoutMs: 30 * 60_000, say });
      // CPU from the start: the consumers drain while the others are still becoming ready.
      const results = await measuringCpu(`drain, ${describeTracing(tracing)}`, async () => {
        await fleet.start(fleet.consumers, { tracing });
        return watching;
      });
      for (const d of results)
        say(
          `  ${d.group}: ${d.events.toLocaleString()} events in ${d.seconds.toFixed(1)} s = ${Math.round(d.eventsPerS).toLocaleString()}/s`,
        );
      // The instances were started for this drain: their counters cover it (and their start-up).
      const spans = await scrapeSpanCounts(fleet.consumers);
      await fleet.stop(fleet.consumers);
      return { results, spans };
    };
    const full = await backlog(FULL_SAMPLING);
    const production = await backlog(PRODUCTION_SAMPLING);
    const off = await backlog('off');
    drain = {
      fullSampling: full.results,
      productionSampling: production.results,
      tracingOff: off.results,
      spans: { full: full.spans, production: production.spans },
    };

    say('naive baseline drain: stock Kafka transport, eachMessage + auto-commit, over the same orders topic');
    const naiveConsumer = await fleet.startExtra('naive-consumer', join(__dirname, 'naive', 'consumer.js'), {
      KAFKA_BROKERS: stack.endpoints.kafkaBrokers,
      KAFKA_SASL_USERNAME: admin.username,
      KAFKA_SASL_PASSWORD: admin.password,
      DATABASE_URL: stack.endpoints.databaseUrl,
    });
    naiveDrain = await measureRate(kafka, ORDERS_TOPIC, NAIVE_GROUP_AS_NAMED, 30_000);
    say(`  naive: ${Math.round(naiveDrain.eventsPerS).toLocaleString()} events/s over ${naiveDrain.seconds.toFixed(0)} s`);
    await fleet.stopExtra(naiveConsumer);
  }

  const profiles = o.phases.has('profiles') ? await profile(stack, fleet, kafka, o) : [];

  return {
    startedAt,
    durationS: (Date.now() - started) / 1000,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.versions.node,
      kafka: KAFKA_VERSION,
      brokers: o.brokers,
      partitions: stack.settings.partitions,
    },
    settings: { backlog: o.backlog, ingestSeconds: o.ingestSeconds, latencySeconds: o.latencySeconds, concurrency: o.concurrency },
    anchors,
    ingest,
    fanout,
    drain,
    naive: naiveDrain && { ingest: naiveIngest, drain: naiveDrain },
    cpu,
    memory: Object.fromEntries(fleet.peaks()),
    profiles,
  };
}

/** The steady rate of the CPU-per-order target, at which the HTTP anchor's own cost per request is measured too. */
const STEADY_ANCHOR_RATE = 500;

/** One process's CPU and context switches per request while `load` runs (after a few seconds of warm-up at the same rate). */
async function steadyCost(stack: Stack, name: string, ratePerS: number, load: () => Promise<LoadResult>): Promise<SteadyCost> {
  await load(); // the route's JIT, and the connections opened
  const before = usageByProcess(stack.supervisor);
  const requests = (await load()).accepted;
  const used = usageBetween(before, usageByProcess(stack.supervisor))[name];
  return {
    ratePerS,
    requests,
    cpuMsPerRequest: (1000 * (used?.cpuSeconds ?? 0)) / Math.max(1, requests),
    contextSwitchesPerRequest: (used?.contextSwitches ?? 0) / Math.max(1, requests),
  };
}

/** The HTTP limit (a bare Fastify route), the naive NestJS producer, and Kafka's own perf tools on the same broker. */
async function measureAnchors(
  stack: Stack,
  fleet: Fleet,
  o: Options,
  admin: { username: string; password: string },
): Promise<{ anchors: BenchReport['anchors']; naiveIngest: LoadResult[] }> {
  say('HTTP anchor: a bare Fastify route answering 202 to the same body');
  const fastifyPort = 3901;
  const fastify = await fleet.startExtra('bare-fastify', join(__dirname, 'anchors', 'bare-fastify.js'), { PORT: String(fastifyPort) }, () =>
    httpOk(`http://127.0.0.1:${fastifyPort}/`),
  );
  const bareFastify = await postOrders(`http://127.0.0.1:${fastifyPort}`, { connections: 64, durationS: o.ingestSeconds });
  say(`  bare Fastify, 64 connections: ${describe(bareFastify)}`);
  const bareFastifySteady = await steadyCost(stack, 'bare-fastify', STEADY_ANCHOR_RATE, () =>
    postOrdersAtRate(`http://127.0.0.1:${fastifyPort}`, { ratePerS: STEADY_ANCHOR_RATE, durationS: o.ingestSeconds }),
  );
  say(`  bare Fastify at a steady ${STEADY_ANCHOR_RATE}/s: ${bareFastifySteady.cpuMsPerRequest.toFixed(3)} ms of CPU per request`);
  await fleet.stopExtra(fastify);

  say('wake-up anchor: a bare TCP echo process, one 200-byte message at a time, 500 a second');
  const wakeUp = await measureWakeUpCost(stack, { ratePerS: 500, durationS: 10, port: 3902 });
  say(`  ${wakeUp.cpuUsPerMessage.toFixed(0)} µs of CPU and ${wakeUp.contextSwitchesPerMessage.toFixed(1)} context switches per message`);

  say('naive baseline ingest: stock NestJS ClientKafka, emit per request');
  const naivePort = 3950;
  const naiveProducer = await fleet.startExtra(
    'naive-producer',
    join(__dirname, 'naive', 'producer.js'),
    {
      PORT: String(naivePort),
      KAFKA_BROKERS: stack.endpoints.kafkaBrokers,
      KAFKA_SASL_USERNAME: admin.username,
      KAFKA_SASL_PASSWORD: admin.password,
    },
    () =>
      fetch(`http://127.0.0.1:${naivePort}/`).then(
        () => true,
        () => false,
      ),
  );
  const naiveIngest: LoadResult[] = [];
  for (const connections of o.concurrency) {
    naiveIngest.push(await postOrders(`http://127.0.0.1:${naivePort}`, { connections, durationS: o.ingestSeconds }));
    say(`  naive, ${connections} connections: ${describe(naiveIngest.at(-1)!)}`);
  }
  await fleet.stopExtra(naiveProducer);

  say(`Kafka's own tools on the same broker: ${o.backlog.toLocaleString()} records of ${RECORD_BYTES} B`);
  const toolLibs = await installKafkaTools(stack.settings, say);
  const clientConfig = adminClientProperties(stack.settings);
  const producer = await producerPerformance(toolLibs, stack.endpoints.kafkaBrokers, clientConfig, PERF_TOPIC, o.backlog, RECORD_BYTES);
  say(`  ProducerPerformance: ${Math.round(producer.recordsPerS).toLocaleString()} records/s, p99 ${producer.latencyMs.p99} ms`);
  const consumer = await consumerPerformance(toolLibs, stack.endpoints.kafkaBrokers, clientConfig, PERF_TOPIC, o.backlog);
  say(`  ConsumerPerformance: ${Math.round(consumer.recordsPerS).toLocaleString()} records/s`);
  return { anchors: { producer, consumer, recordBytes: RECORD_BYTES, bareFastify, bareFastifySteady, wakeUp }, naiveIngest };
}

/** Last, so the profiler's overhead touches no other figure: ingest, then a drain, each service sampled. */
async function profile(stack: Stack, fleet: Fleet, kafka: Kafka, o: Options): Promise<BenchReport['profiles']> {
  const profiles: BenchReport['profiles'] = [];
  // One instance of each service is enough for the report: its twins do the same work.
  const keep = (phase: string, events: number, byInstance: Map<string, ProcessProfile>) => {
    for (const [process, p] of byInstance) if (process.endsWith('-1')) profiles.push({ phase, process, events, ...p });
  };

  say(`profiles: order-service under ingest at 64 connections, ${describeTracing(PRODUCTION_SAMPLING)}`);
  let orders = 0;
  const authorization = await benchAuthorization(stack);
  const ingestFor = async (durationS: number) =>
    (await postOrders(stack.orderServiceUrl, { authorization, connections: 64, durationS })).accepted;
  const ingest = await fleet.profiled([fleet.orderService], {
    warmUp: () => ingestFor(WARM_UP_S.profiledIngest),
    work: async () => (orders = await ingestFor(o.ingestSeconds)),
  });
  keep(`ingest, 64 connections, ${o.ingestSeconds} s`, orders, ingest);

  const events = Math.ceil(o.backlog / 5);
  say(`profiles: every consumer draining ${events.toLocaleString()} events, ${describeTracing(PRODUCTION_SAMPLING)}`);
  // Loaded once the profilers run: restarted consumers would otherwise drain part of it unsampled.
  const drain = (count: number) => async () => {
    await withHeadSampling(PRODUCTION_SAMPLING, () => preloadOrders(kafka, count, () => undefined));
    await waitCaughtUp(kafka, ORDERS_TOPIC, GROUPS, 15 * 60_000);
  };
  // Each group sees every event, and its two instances share them: one instance handles about half.
  keep(
    `drain of ${events.toLocaleString()} events`,
    events / stack.settings.consumerInstances,
    await fleet.profiled(fleet.consumers, { warmUp: drain(Math.ceil(events / 4)), work: drain(events) }),
  );
  return profiles;
}

/** The processes an order passes through; the observability tools (Jaeger, Prometheus, the console) are in the CPU table on their own. */
const ORDER_PATH = ['kafka', 'order-service', 'notification-service', 'analytics-service', 'cache-refresh-service', 'postgres', 'redis'];
const onOrderPath = (byComponent: Record<string, number>) => ORDER_PATH.reduce((total, name) => total + (byComponent[name] ?? 0), 0);

const describe = (l: LoadResult) =>
  `${Math.round(l.requestsPerS).toLocaleString()} orders/s, p50 ${l.latencyMs.p50} ms, p99 ${l.latencyMs.p99} ms, ${l.non2xx + l.errors} errors${describeFailures(l.failures)}`;

const describeFailures = (failures: Record<string, number>) => {
  const causes = Object.entries(failures).sort(([, a], [, b]) => b - a);
  return causes.length === 0 ? '' : ` (${causes.map(([cause, count]) => `${cause}: ${count.toLocaleString()}`).join(', ')})`;
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});

import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import Big from 'big.js';
import Redis from 'ioredis';
import { Partitioners } from 'kafkajs';
import { Client } from 'pg';
import { OrderViewStore } from '@fanout/order-view';
import { CONSUMER_GROUP_IDS, CONSUMER_GROUPS, ORDER_CREATED, ORDERS_TOPIC } from '@fanout/contracts';
import { adminKafkaConnection, startStack, type ServiceInstance, type Stack } from '@fanout/local-stack';
import { CE_HEADERS, createKafka, replayDeadLetters, topicsHaveLeaders, topicsWithGroups } from '@fanout/messaging';
import { backOffice } from '../e2e/support/auth';
import { eventually } from '../e2e/support/eventually';
import { hostileInputRun } from '../e2e/support/hostile-input';
import { inParallel, randomOrder, revenueByCurrency, type Accepted, type OrderRequest } from '../e2e/support/orders';
import { metricTotal, notificationPauses, setChannelFailing } from '../e2e/support/services';

/**
 * Real faults on a 3-broker cluster (RF 3, min.insync.replicas 2) with 2 instances per group. Each drill
 * streams N orders while breaking something, then checks every 202-acknowledged order took effect
 * exactly once in every group: analytics count and revenue, one Redis view, one notification.
 */
const N = Number(process.env.FAULT_ORDERS ?? 2_000);

let stack: Stack;
let db: Client;
let redis: Redis;

// Its environment (state directory, publish timeout, delivery budget) is set by stack-env.ts, before imports.
beforeAll(async () => {
  stack = await startStack({ fresh: true, brokers: 3 }, (line) => console.log(`  ${line}`));
  db = new Client({ connectionString: stack.endpoints.databaseUrl });
  db.on('error', () => undefined); // the PostgreSQL drill terminates this connection; the drill reconnects
  await db.connect();
  redis = new Redis(stack.endpoints.redisUrl);
}, 600_000);

afterAll(async () => {
  redis?.disconnect();
  await db?.end();
  await stack?.stop();
});

interface StreamResult {
  accepted: { order: OrderRequest; id: string }[];
  /** The orders answered 503, each with the Idempotency-Key it was sent with (keyed streams). */
  refused: { order: OrderRequest; key?: string }[];
  slowest503Ms: number;
}

const postOrder = async (order: OrderRequest, idempotencyKey?: string): Promise<Response | undefined> =>
  fetch(`${stack.orderServiceUrl}/orders`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(await backOffice()),
      ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
    },
    body: JSON.stringify(order),
    signal: AbortSignal.timeout(30_000),
  }).catch(() => undefined);

/**
 * Posts n orders, 20 at a time, while `fault` runs, and counts 202s and 503s; at most `ratePerS` a
 * second when given (a stream as long as the fault); `keyed`: each order with its own Idempotency-Key.
 */
async function streamOrders(
  n: number,
  fault: () => Promise<void>,
  { ratePerS, keyed }: { ratePerS?: number; keyed?: boolean } = {},
): Promise<StreamResult> {
  const result: StreamResult = { accepted: [], refused: [], slowest503Ms: 0 };
  const orders = Array.from({ length: n }, (_, i) => ({
    order: randomOrder(),
    key: keyed ? randomUUID() : undefined,
    dueAt: ratePerS ? (i * 1000) / ratePerS : 0,
  }));
  const streamStarted = Date.now();
  const submitting = inParallel(orders, 20, async ({ order, key, dueAt }) => {
    await sleep(Math.max(0, streamStarted + dueAt - Date.now()));
    const started = Date.now();
    const response = await postOrder(order, key);
    if (response?.status === 202) result.accepted.push({ order, id: ((await response.json()) as Accepted).orderId });
    else if (response?.status === 503) {
      result.refused.push({ order, key });
      result.slowest503Ms = Math.max(result.slowest503Ms, Date.now() - started);
    } else throw new Error(`POST /orders answered ${response?.status ?? 'nothing'}`);
  });
  await Promise.all([submitting, fault()]);
  return result;
}

/** What a client does after a 503: sends the order again with the same Idempotency-Key until it is accepted. */
const retryRefused = (refused: StreamResult['refused']): Promise<StreamResult['accepted']> =>
  inParallel(refused, 20, async ({ order, key }) => {
    const answer = await eventually(
      `the order sent with Idempotency-Key ${key} accepted on retry`,
      async () => {
        const response = await postOrder(order, key);
        return { status: response?.status, id: response?.status === 202 ? ((await response.json()) as Accepted).orderId : '' };
      },
      ({ status }) => status === 202,
      { timeoutMs: 90_000, intervalMs: 1_000 },
    );
    return { order, id: answer.id };
  });

const GROUP_OF = {
  'notification-service': 'notification',
  'analytics-service': 'analytics',
  'cache-refresh-service': 'cache-refresh',
} as const;

/** Duplicates each group absorbed (fanout_consumer_duplicates_total), including instances since killed. */
const absorbedByKilled = new Map<string, number>();

/** An instance's duplicates counter; 0 for an instance that is down (its count was banked before). */
const duplicatesOf = (instance: ServiceInstance): Promise<number> =>
  metricTotal(instance.instanceId, 'fanout_consumer_duplicates_total').catch(() => 0);

async function duplicatesByGroup(): Promise<Map<string, number>> {
  const totals = new Map(absorbedByKilled);
  for (const c of consumers()) {
    const group = GROUP_OF[c.service as keyof typeof GROUP_OF];
    totals.set(group, (totals.get(group) ?? 0) + (await duplicatesOf(c)));
  }
  return totals;
}

/** Banks an instance's count before it is killed or stopped: its counters die with it. */
async function bankDuplicates(instance: ServiceInstance): Promise<void> {
  const group = GROUP_OF[instance.service as keyof typeof GROUP_OF];
  absorbedByKilled.set(group, (absorbedByKilled.get(group) ?? 0) + (await duplicatesOf(instance)));
}

/** Every accepted order took effect exactly once in every group. */
async function expectExactlyOnceEffects(name: string, { accepted, refused }: StreamResult, before: Map<string, number>): Promise<void> {
  const ids = accepted.map((a) => a.id);
  const counted = await eventually(
    `${name}: analytics holding all ${ids.length} accepted orders`,
    async () =>
      (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM analytics.orders WHERE order_id = ANY($1)', [ids])).rows[0]!.n,
    (n) => n === ids.length,
    { timeoutMs: 180_000, intervalMs: 1_000 },
  );
  const revenue = await db.query<{ currency: string; revenue: string }>(
    'SELECT currency, sum(total)::text AS revenue FROM analytics.orders WHERE order_id = ANY($1) GROUP BY currency',
    [ids],
  );
  const expected = revenueByCurrency(accepted.map((a) => a.order));
  for (const row of revenue.rows)
    expect(`${row.currency} ${new Big(row.revenue).toFixed(2)}`).toBe(`${row.currency} ${expected.get(row.currency)!.toFixed(2)}`);
  const views = await eventually(
    `${name}: one Redis view per accepted order`,
    async () => (await redis.mget(ids.map((id) => OrderViewStore.key(id)))).filter((v) => v !== null).length,
    (n) => n === ids.length,
    { timeoutMs: 120_000, intervalMs: 1_000 },
  );
  const notified = await eventually(
    `${name}: one notification per accepted order`,
    async () =>
      (
        await db.query<{ orders: number; sends: number }>(
          'SELECT count(DISTINCT order_id)::int AS orders, count(*)::int AS sends FROM notification.sent_notifications WHERE order_id = ANY($1)',
          [ids],
        )
      ).rows[0]!,
    (r) => r.orders === ids.length,
    { timeoutMs: 120_000, intervalMs: 1_000 },
  );
  expect(notified.sends).toBe(ids.length);
  const after = await duplicatesByGroup();
  const absorbed = [...after].map(([group, n]) => `${group} ${n - (before.get(group) ?? 0)}`).join(', ');
  console.log(
    `${name}: sent ${accepted.length + refused.length}, acknowledged ${accepted.length}, 503 ${refused.length}; ` +
      `analytics ${counted}, views ${views}, notifications ${notified.sends} for ${notified.orders} orders; ` +
      `duplicates absorbed: ${absorbed}`,
  );
}

const consumers = () => stack.services.filter((s) => s.service !== 'order-service');

/** Every order analytics holds: one row per order id, however often its event arrived. */
const countedOrders = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM analytics.orders')).rows[0]!.n;

/** Dead letters of a group not yet replayed (a dry-run listing changes nothing). */
const deadLetters = (group: string) =>
  replayDeadLetters(createKafka(adminKafkaConnection(stack.settings, 'faults-dlq')), ORDERS_TOPIC, group, {
    dryRun: true,
  });

const analyticsInstance = () => consumers().find((s) => s.service === 'analytics-service')!;

/** What an orchestrator would see: the liveness and readiness answers of one instance. */
async function probes(instance: ServiceInstance): Promise<{ live: number; ready: number; readyBody: string }> {
  const [live, ready] = await Promise.all(['live', 'ready'].map((probe) => fetch(`${instance.url}/health/${probe}`)));
  return { live: live!.status, ready: ready!.status, readyBody: await ready!.text() };
}

async function restartInstance(instance: ServiceInstance): Promise<void> {
  instance.process = stack.supervisor.restart(instance.process);
  await eventually(`${instance.instanceId} healthy again`, () => fetch(`${instance.url}/health/ready`).then((r) => r.ok), Boolean, {
    timeoutMs: 60_000,
  });
}

describe('faults on a 3-broker cluster', () => {
  it('kill -9 of one instance of each group, repeatedly, loses and doubles nothing', async () => {
    const before = await duplicatesByGroup();
    const result = await streamOrders(N, async () => {
      for (let round = 0; round < 3; round++) {
        await sleep(1_500);
        const victims = ['notification-service', 'analytics-service', 'cache-refresh-service'].map(
          (service) => consumers().filter((c) => c.service === service)[round % 2]!,
        );
        await Promise.all(victims.map(bankDuplicates));
        for (const v of victims) stack.supervisor.signal(v.process, 'SIGKILL');
        await Promise.all(victims.map((v) => v.process.exited));
        await Promise.all(victims.map(restartInstance));
      }
    });
    expect(result.refused.length).toBe(0);
    await expectExactlyOnceEffects('kill -9', result, before);
  });

  it('stopping one broker mid-stream loses nothing', async () => {
    const before = await duplicatesByGroup();
    const result = await streamOrders(N, async () => {
      await sleep(2_000);
      const broker = stack.brokers[1]!;
      await stack.supervisor.stop(broker);
      await sleep(10_000);
      stack.brokers[1] = stack.supervisor.restart(broker);
    });
    await expectExactlyOnceEffects('one broker down', result, before);
  });

  it('with all of Kafka gone for 20 s, answers 503 quickly, then recovers without losing a 202, and a client retry makes no second order', async () => {
    const before = await duplicatesByGroup();
    const ordersBefore = await countedOrders();
    const result = await streamOrders(
      N,
      async () => {
        await sleep(1_000);
        await Promise.all(stack.brokers.map((b) => stack.supervisor.stop(b)));
        await sleep(20_000);
        stack.brokers.splice(0, stack.brokers.length, ...stack.brokers.map((b) => stack.supervisor.restart(b)));
      },
      { keyed: true },
    );
    expect(result.refused.length).toBeGreaterThan(0);
    expect(result.slowest503Ms).toBeLessThan(10_000);
    // Recovered: once Kafka has leaders again, every order is accepted again.
    const kafka = createKafka(adminKafkaConnection(stack.settings, 'faults-leaders'));
    await eventually(
      'every partition has a leader again',
      () => topicsHaveLeaders(kafka, topicsWithGroups(ORDERS_TOPIC, CONSUMER_GROUP_IDS)),
      Boolean,
      { timeoutMs: 60_000 },
    );
    const afterwards = await streamOrders(200, async () => undefined);
    expect(afterwards.refused.length).toBe(0);
    // Each 503 may have landed (its send was in flight when Kafka went): the retry is that same order,
    // published again as the same event, so every group applies it once and no order appears twice.
    const retried = await retryRefused(result.refused);
    const all = { ...result, accepted: [...result.accepted, ...retried, ...afterwards.accepted], refused: [] };
    await expectExactlyOnceEffects(`Kafka away (${retried.length} answered 503, then accepted on retry), then 200 more`, all, before);
    expect((await countedOrders()) - ordersBefore).toBe(N + 200);
  });

  it('a rolling SIGTERM restart of every consumer instance under load loses nothing', async () => {
    const before = await duplicatesByGroup();
    const result = await streamOrders(N, async () => {
      for (const instance of consumers()) {
        await bankDuplicates(instance);
        await stack.supervisor.stop(instance.process);
        await restartInstance(instance);
      }
    });
    expect(result.refused.length).toBe(0);
    await expectExactlyOnceEffects('rolling restart', result, before);
  });

  it('with PostgreSQL gone for 20 s, what could not be applied is dead-lettered, and `npm run dlq -- replay` applies it once', async () => {
    const before = await duplicatesByGroup();
    const postgres = stack.supervisor.running.find((p) => p.name === 'postgres')!;
    let probesDuringOutage: Awaited<ReturnType<typeof probes>> | undefined;
    // Paced over ~15 s: unpaced, the stream can finish before the outage begins, and nothing dead-letters.
    const result = await streamOrders(
      N,
      async () => {
        await sleep(1_000);
        await stack.supervisor.stop(postgres);
        await sleep(3_000);
        probesDuringOutage = await probes(analyticsInstance());
        await sleep(17_000);
        stack.supervisor.restart(postgres);
      },
      { ratePerS: N / 15 },
    );
    // Not ready (PostgreSQL named) yet alive: an orchestrator stops routing to it and does not restart it.
    console.log(`probes of ${analyticsInstance().instanceId} during the outage:`, probesDuringOutage);
    expect(probesDuringOutage).toMatchObject({ live: 200, ready: 503 });
    expect(probesDuringOutage!.readyBody).toMatch(/postgres/);
    await Promise.race([db.end().catch(() => undefined), sleep(2_000, undefined, { ref: false })]); // its connection died with the server
    db = await eventually(
      'PostgreSQL back',
      async () => {
        const client = new Client({ connectionString: stack.endpoints.databaseUrl });
        client.on('error', () => undefined); // a later outage must not end the test process
        await client.connect();
        return client;
      },
      Boolean,
      { timeoutMs: 30_000 },
    );
    const ids = new Set(result.accepted.map((a) => a.id));
    const replayed: string[] = [];
    let deadLettered = 0;
    for (const group of [CONSUMER_GROUPS.analytics, CONSUMER_GROUPS.notification]) {
      // Settled: every accepted order is either applied or a dead letter of this group.
      const table = group === CONSUMER_GROUPS.analytics ? 'analytics.orders' : 'notification.sent_notifications';
      const settled = await eventually(
        `${group}: every order applied or dead-lettered`,
        async () => {
          const applied = (
            await db.query<{ n: number }>(`SELECT count(DISTINCT order_id)::int AS n FROM ${table} WHERE order_id = ANY($1)`, [[...ids]])
          ).rows[0]!.n;
          const letters = (await deadLetters(group)).filter((l) => l.key !== undefined && ids.has(l.key)).length;
          return { applied, letters };
        },
        (r) => r.applied + r.letters === ids.size,
        { timeoutMs: 240_000, intervalMs: 2_000 },
      );
      console.log(`PostgreSQL away, ${group}: ${settled.applied} applied, ${settled.letters} dead-lettered`);
      deadLettered += settled.letters;
      const { stdout } = await promisify(execFile)(process.execPath, ['deploy/local/dist/cli.js', 'dlq', 'replay', '--group', group], {
        env: { ...process.env, KAFKA_BROKERS: stack.endpoints.kafkaBrokers },
      });
      expect(stdout).toContain(`replayed ${settled.letters} dead letter(s)`);
      replayed.push(`${group} ${settled.letters}`);
    }
    // Orders kept arriving through the outage: their records exhausted their deliveries in at least one group.
    expect(deadLettered).toBeGreaterThan(0);
    console.log(`PostgreSQL away: dead-lettered and replayed ${replayed.join(', ')}`);
    await expectExactlyOnceEffects('PostgreSQL away + replay', result, before);
    for (const group of [CONSUMER_GROUPS.analytics, CONSUMER_GROUPS.notification]) expect(await deadLetters(group)).toHaveLength(0);
  });

  it('poison records injected mid-stream land in the dead-letter topic of every group and block nothing', async () => {
    const before = await duplicatesByGroup();
    const kafka = createKafka(adminKafkaConnection(stack.settings, 'faults-poison'));
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const poisonPerPartition = 2;
    const result = await streamOrders(N, async () => {
      for (let round = 0; round < poisonPerPartition; round++) {
        await sleep(2_000);
        await producer.send({
          topic: ORDERS_TOPIC,
          acks: -1,
          messages: Array.from({ length: stack.settings.partitions }, (_, partition) => ({
            partition,
            key: `poison-${randomUUID()}`,
            value: round === 0 ? Buffer.from([0xde, 0xad, 0xbe, 0xef]) : JSON.stringify({ schemaVersion: 1, orderId: 'not-a-uuid' }),
            headers: { [CE_HEADERS.type]: ORDER_CREATED },
          })),
        });
      }
    });
    await producer.disconnect();
    await expectExactlyOnceEffects('poison mid-stream', result, before);
    const poison = stack.settings.partitions * poisonPerPartition;
    for (const group of Object.values(CONSUMER_GROUPS)) {
      const letters = (await deadLetters(group)).filter((l) => l.key?.startsWith('poison-'));
      expect(letters.map((l) => l.reason).sort()).toEqual([
        ...Array<string>(stack.settings.partitions).fill('invalid-json'),
        ...Array<string>(stack.settings.partitions).fill('schema-violation'),
      ]);
    }
    console.log(
      `poison mid-stream: ${poison} poison records, dead-lettered ${poison} in each of ${Object.values(CONSUMER_GROUPS).length} groups`,
    );
  });

  it('a notification channel failing for 10 s opens the breaker and pauses, then sends each notification once', async () => {
    const before = await duplicatesByGroup();
    const pausesBefore = await notificationPauses();
    const result = await streamOrders(N, async () => {
      await sleep(1_000);
      await setChannelFailing(true);
      await sleep(10_000);
      await setChannelFailing(false);
    });
    const pauses = (await notificationPauses()) - pausesBefore;
    expect(pauses).toBeGreaterThan(0);
    await expectExactlyOnceEffects('channel failing', result, before);
    console.log(`channel failing: partitions paused ${pauses} time(s) while the breaker was open`);
  });

  it('10,000 hostile requests generated from the OpenAPI document: no 5xx, nothing published unaccepted or invalid, still serving', async () => {
    const seed = Math.floor(Math.random() * 2 ** 31); // a new sample each run; the seed reproduces it
    console.log(`hostile input: schemathesis --seed ${seed}`);
    const run = await hostileInputRun(10_000, seed);
    expect(run.requests).toBeGreaterThanOrEqual(10_000);
    expect(run.serverErrors).toEqual([]);
    expect(run.publishedWithoutAcceptance).toEqual([]);
    expect(run.publishedInvalid).toEqual([]);
    expect(run.acceptedWithoutPublish).toEqual([]);
    expect(run.stillServing).toBe(true);
    console.log(`hostile input: ${run.requests} requests, ${run.publishedOrders} orders accepted and published`);
  }, 1_200_000);
});

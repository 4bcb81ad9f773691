import { setTimeout as sleep } from 'node:timers/promises';
import Big from 'big.js';
import Redis from 'ioredis';
import { Client } from 'pg';
import { startStack, type ServiceInstance, type Stack } from '@fanout/local-stack';
import { eventually } from '../e2e/support/eventually';
import { inParallel, randomOrder, revenueByCurrency, type Accepted, type OrderRequest } from '../e2e/support/orders';

/**
 * Real faults on a 3-broker cluster (RF 3, min.insync.replicas 2) with 2 instances per group. Each drill
 * streams N orders while breaking something, then checks every 202-acknowledged order took effect
 * exactly once in every group: analytics count and revenue, one Redis view, one notification.
 */
const N = Number(process.env.FAULT_ORDERS ?? 2_000);

let stack: Stack;
let db: Client;
let redis: Redis;

beforeAll(async () => {
  process.env.FANOUT_STATE_DIR = `${process.cwd()}/.fanout/faults`;
  process.env.PUBLISH_TIMEOUT_MS = '3000'; // a request never waits longer than this for Kafka
  stack = await startStack({ fresh: true, brokers: 3 }, (line) => console.log(`  ${line}`));
  db = new Client({ connectionString: stack.endpoints.databaseUrl });
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
  unavailable: number;
  slowest503Ms: number;
}

/** Streams n orders (20 in flight) while `fault` runs; counts 202s and 503s. */
async function streamOrders(n: number, fault: () => Promise<void>): Promise<StreamResult> {
  const result: StreamResult = { accepted: [], unavailable: 0, slowest503Ms: 0 };
  const orders = Array.from({ length: n }, randomOrder);
  const submitting = inParallel(orders, 20, async (order) => {
    const started = Date.now();
    const response = await fetch(`${stack.orderServiceUrl}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(order),
      signal: AbortSignal.timeout(30_000),
    }).catch(() => undefined);
    if (response?.status === 202) result.accepted.push({ order, id: ((await response.json()) as Accepted).orderId });
    else if (response?.status === 503) {
      result.unavailable++;
      result.slowest503Ms = Math.max(result.slowest503Ms, Date.now() - started);
    } else throw new Error(`POST /orders answered ${response?.status ?? 'nothing'}`);
  });
  await Promise.all([submitting, fault()]);
  return result;
}

/** Every accepted order took effect exactly once in every group. */
async function expectExactlyOnceEffects(name: string, { accepted, unavailable }: StreamResult): Promise<void> {
  const ids = accepted.map((a) => a.id);
  const counted = await eventually(
    `${name}: analytics holding all ${ids.length} accepted orders`,
    async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM analytics.orders WHERE order_id = ANY($1)', [ids])).rows[0]!.n,
    (n) => n === ids.length,
    { timeoutMs: 180_000, intervalMs: 1_000 },
  );
  const revenue = await db.query<{ currency: string; revenue: string }>(
    'SELECT currency, sum(total)::text AS revenue FROM analytics.orders WHERE order_id = ANY($1) GROUP BY currency',
    [ids],
  );
  const expected = revenueByCurrency(accepted.map((a) => a.order));
  for (const row of revenue.rows) expect(`${row.currency} ${new Big(row.revenue).toFixed(2)}`).toBe(`${row.currency} ${expected.get(row.currency)!.toFixed(2)}`);
  const views = await eventually(
    `${name}: one Redis view per accepted order`,
    async () => (await redis.mget(ids.map((id) => `order:${id}`))).filter((v) => v !== null).length,
    (n) => n === ids.length,
    { timeoutMs: 120_000, intervalMs: 1_000 },
  );
  const notified = await eventually(
    `${name}: one notification per accepted order`,
    async () =>
      (await db.query<{ orders: number; sends: number }>(
        'SELECT count(DISTINCT order_id)::int AS orders, count(*)::int AS sends FROM notification.sent_notifications WHERE order_id = ANY($1)',
        [ids],
      )).rows[0]!,
    (r) => r.orders === ids.length,
    { timeoutMs: 120_000, intervalMs: 1_000 },
  );
  expect(notified.sends).toBe(ids.length);
  console.log(
    `${name}: sent ${accepted.length + unavailable}, acknowledged ${accepted.length}, 503 ${unavailable}; ` +
      `analytics ${counted}, views ${views}, notifications ${notified.sends} for ${notified.orders} orders`,
  );
}

const consumers = () => stack.services.filter((s) => s.service !== 'order-service');

async function restartInstance(instance: ServiceInstance): Promise<void> {
  instance.process = stack.supervisor.restart(instance.process);
  await eventually(`${instance.instanceId} healthy again`, () => fetch(`${instance.url}/health`).then((r) => r.ok), Boolean, { timeoutMs: 60_000 });
}

describe('faults on a 3-broker cluster', () => {
  it('kill -9 of one instance of each group, repeatedly, loses and doubles nothing', async () => {
    const result = await streamOrders(N, async () => {
      for (let round = 0; round < 3; round++) {
        await sleep(1_500);
        const victims = ['notification-service', 'analytics-service', 'cache-refresh-service'].map(
          (service) => consumers().filter((c) => c.service === service)[round % 2]!,
        );
        for (const v of victims) stack.supervisor.signal(v.process, 'SIGKILL');
        await Promise.all(victims.map((v) => v.process.exited));
        await Promise.all(victims.map(restartInstance));
      }
    });
    expect(result.unavailable).toBe(0);
    await expectExactlyOnceEffects('kill -9', result);
  });

  it('stopping one broker mid-stream loses nothing', async () => {
    const result = await streamOrders(N, async () => {
      await sleep(2_000);
      const broker = stack.brokers[1]!;
      await stack.supervisor.stop(broker);
      await sleep(10_000);
      stack.brokers[1] = stack.supervisor.restart(broker);
    });
    await expectExactlyOnceEffects('one broker down', result);
  });

  it('with all of Kafka gone for 20 s, answers 503 quickly, then recovers without losing a 202', async () => {
    const result = await streamOrders(N, async () => {
      await sleep(1_000);
      await Promise.all(stack.brokers.map((b) => stack.supervisor.stop(b)));
      await sleep(20_000);
      stack.brokers.splice(0, stack.brokers.length, ...stack.brokers.map((b) => stack.supervisor.restart(b)));
    });
    expect(result.unavailable).toBeGreaterThan(0);
    expect(result.slowest503Ms).toBeLessThan(10_000);
    await expectExactlyOnceEffects('Kafka away', result);
  });

  it('a rolling SIGTERM restart of every consumer instance under load loses nothing', async () => {
    const result = await streamOrders(N, async () => {
      for (const instance of consumers()) {
        await stack.supervisor.stop(instance.process);
        await restartInstance(instance);
      }
    });
    expect(result.unavailable).toBe(0);
    await expectExactlyOnceEffects('rolling restart', result);
  });
});

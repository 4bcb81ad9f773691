import { ORDER_CANCELLED, ORDER_CREATED } from '@fanout/contracts';
import { backOffice } from './auth';
import { orderServiceUrl } from './env';
import { randomOrder, submitOrder } from './orders';
import { ordersTopicEnd, readOrdersTopic } from './orders-topic';
import { runSchemathesis, type Exchange } from './schemathesis';

/** What a hostile-input run saw: requests sent, and what order-service published meanwhile. */
export interface HostileRun {
  requests: number;
  serverErrors: string[];
  /** Orders and cancels published without a 202 that accepted them: must be none. */
  publishedWithoutAcceptance: string[];
  /** Records published that break the event contract (their consumers would dead-letter them): must be none. */
  publishedInvalid: string[];
  /** Orders answered 202 but not published now, other than replays of an Idempotency-Key: must be none. */
  acceptedWithoutPublish: string[];
  publishedOrders: number;
  /** A plain order after the run: still 202. */
  stillServing: boolean;
}

/**
 * At least `requests` property-based requests generated from order-service's OpenAPI document (schemathesis:
 * valid and invalid bodies, ids, headers), then what Kafka got: every record must trace back to a 202.
 */
export async function hostileInputRun(requests: number, seed: number): Promise<HostileRun> {
  const since = await ordersTopicEnd();
  const run = await runSchemathesis({
    url: orderServiceUrl,
    authorization: (await backOffice()).authorization!,
    checks: 'not_a_server_error',
    // About three requests per example over the three order operations.
    maxExamples: Math.ceil(requests / 3) + 50,
    seed,
    phases: 'coverage,fuzzing',
    excludePathRegex: '^/(health|metrics)',
  });
  const accepted = run.exchanges.filter((e) => e.method === 'POST' && e.status === 202);
  const orderIdOf = (e: Exchange) => (JSON.parse(e.body) as { orderId: string }).orderId;
  const creations = accepted.filter((e) => e.path === '/orders');
  const createdIds = new Set(creations.map(orderIdOf));
  const cancelledIds = new Set(accepted.filter((e) => e.path.endsWith('/cancel')).map((e) => e.path.split('/')[2]!));
  const published = await readOrdersTopic(since);
  const publishedWithoutAcceptance = published
    .filter((r) => (r.type === ORDER_CREATED ? !createdIds.has(r.key) : r.type === ORDER_CANCELLED ? !cancelledIds.has(r.key) : true))
    .map((r) => `${r.type} ${r.key}`);
  // A key the caller used before (this run or an earlier one) answers with that order, publishing nothing.
  const publishedIds = new Set(published.map((r) => r.key));
  const acceptedWithoutPublish = creations
    .filter((e) => !publishedIds.has(orderIdOf(e)) && !e.headers['idempotency-key'])
    .map((e) => `${orderIdOf(e)} (no Idempotency-Key)`);
  const stillServing = await submitOrder(randomOrder()).then(
    () => true,
    () => false,
  );
  return {
    requests: run.exchanges.length,
    serverErrors: run.exchanges.filter((e) => e.status >= 500).map((e) => `${e.method} ${e.path} → ${e.status}: ${e.body.slice(0, 200)}`),
    publishedWithoutAcceptance,
    publishedInvalid: published.filter((r) => r.contractProblem).map((r) => `${r.type} ${r.key}: ${r.contractProblem}`),
    acceptedWithoutPublish,
    publishedOrders: published.filter((r) => r.type === ORDER_CREATED).length,
    stillServing,
  };
}

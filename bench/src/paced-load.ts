import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { countFailure, ORDER_BODY, type LoadResult } from './load';

/**
 * POSTs orders at a steady rate, open loop: a request leaves every 1/rate seconds whether or not
 * earlier ones answered, as independent clients arrive. autocannon's `overallRate` is not that:
 * each connection sends its per-second quota back to back when its second starts, so "500/s" is a
 * burst of 500 requests once a second, and latency then measures how long that burst queues.
 * Latency counts from when a request was due, not when it left (no coordinated omission, as wrk2).
 */
export async function postOrdersAtRate(
  url: string,
  options: { ratePerS: number; durationS: number; connections?: number; authorization?: string },
): Promise<LoadResult> {
  const connections = options.connections ?? 256;
  const headers = { 'content-type': 'application/json', ...(options.authorization ? { authorization: options.authorization } : {}) };
  const pool = new Pool(url, { connections });
  const latencies: number[] = [];
  const outcome = { accepted: 0, non2xx: 0, errors: 0 };
  const failures: Record<string, number> = {};
  const inFlight = new Set<Promise<void>>();
  const total = Math.round(options.ratePerS * options.durationS);
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / options.ratePerS;
    const wait = due - performance.now();
    if (wait >= 1) await sleep(wait); // timers have 1 ms resolution: closer requests leave in the same tick
    const request: Promise<void> = pool
      .request({ path: '/orders', method: 'POST', headers, body: ORDER_BODY })
      .then(async ({ statusCode, body }) => {
        await body.dump();
        latencies.push(performance.now() - due);
        if (statusCode >= 200 && statusCode < 300) outcome.accepted += 1;
        else {
          outcome.non2xx += 1;
          countFailure(failures, statusCode);
        }
      })
      .catch((error: Error) => {
        outcome.errors += 1;
        countFailure(failures, error);
      })
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  }
  await Promise.all(inFlight);
  const durationS = (performance.now() - started) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return {
    connections,
    targetRate: options.ratePerS,
    durationS,
    requestsPerS: outcome.accepted / durationS,
    accepted: outcome.accepted,
    latencyMs: { p50: at(0.5), p99: at(0.99), max: Math.round(latencies.at(-1) ?? 0) },
    non2xx: outcome.non2xx,
    errors: outcome.errors,
    failures,
  };
}

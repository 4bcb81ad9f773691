import type { ServiceInstance } from '@fanout/local-stack';
import { scrapeConsumers } from './consumer-metrics';
import { addBuckets, observations, parseBuckets, quantile, subtractBuckets, type Buckets } from './histogram';

const METRIC = 'fanout_consumer_fanout_latency_seconds';

/** Each group's fan-out latency histogram, summed over its instances' /metrics. */
export async function scrapeLatency(consumers: ServiceInstance[]): Promise<Map<string, Buckets>> {
  const byGroup = new Map<string, Buckets>();
  for (const { group, exposition } of await scrapeConsumers(consumers)) {
    byGroup.set(group, addBuckets(byGroup.get(group) ?? new Map(), parseBuckets(exposition, METRIC, `group="${group}"`)));
  }
  return byGroup;
}

export interface GroupLatency {
  group: string;
  events: number;
  p50Ms?: number;
  p99Ms?: number;
}

/** p50/p99 per group of the records processed between two scrapes. */
export function latencyBetween(before: Map<string, Buckets>, after: Map<string, Buckets>): GroupLatency[] {
  return [...after].map(([group, buckets]) => {
    const window = subtractBuckets(buckets, before.get(group) ?? new Map());
    const ms = (q: number) => {
      const s = quantile(window, q);
      return s === undefined ? undefined : s * 1000;
    };
    return { group, events: observations(window), p50Ms: ms(0.5), p99Ms: ms(0.99) };
  });
}

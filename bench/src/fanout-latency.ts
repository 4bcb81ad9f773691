import { CONSUMER_GROUPS } from '@fanout/contracts';
import type { ServiceInstance } from '@fanout/local-stack';
import { addBuckets, observations, parseBuckets, quantile, subtractBuckets, type Buckets } from './histogram';

const METRIC = 'fanout_consumer_fanout_latency_seconds';

export const GROUP_OF_SERVICE: Record<string, string> = {
  'notification-service': CONSUMER_GROUPS.notification,
  'analytics-service': CONSUMER_GROUPS.analytics,
  'cache-refresh-service': CONSUMER_GROUPS.cacheRefresh,
};

/** Each group's fan-out latency histogram, summed over its instances' /metrics. */
export async function scrapeLatency(consumers: ServiceInstance[]): Promise<Map<string, Buckets>> {
  const byGroup = new Map<string, Buckets>();
  await Promise.all(
    consumers.map(async (instance) => {
      const group = GROUP_OF_SERVICE[instance.service]!;
      const text = await (await fetch(`${instance.url}/metrics`)).text();
      byGroup.set(group, addBuckets(byGroup.get(group) ?? new Map(), parseBuckets(text, METRIC, `group="${group}"`)));
    }),
  );
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

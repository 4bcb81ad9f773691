import { CONSUMER_GROUPS } from '@fanout/contracts';
import type { ServiceInstance } from '@fanout/local-stack';

const GROUP_OF_SERVICE: Record<string, string> = {
  'notification-service': CONSUMER_GROUPS.notification,
  'analytics-service': CONSUMER_GROUPS.analytics,
  'cache-refresh-service': CONSUMER_GROUPS.cacheRefresh,
};

/** Every consumer instance's Prometheus /metrics text, with the group the instance belongs to. */
export function scrapeConsumers(consumers: ServiceInstance[]): Promise<{ group: string; exposition: string }[]> {
  return Promise.all(
    consumers.map(async (instance) => ({
      group: GROUP_OF_SERVICE[instance.service]!,
      exposition: await (await fetch(`${instance.url}/metrics`)).text(),
    })),
  );
}

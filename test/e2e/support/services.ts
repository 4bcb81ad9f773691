import { instanceUrl } from './env';

export interface AnalyticsSummary {
  orderCount: number;
  cancelledCount: number;
  revenueByCurrency: Record<string, string>;
}

export async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return (await response.json()) as T;
}

export const analyticsSummary = (): Promise<AnalyticsSummary> =>
  getJson<AnalyticsSummary>(`${instanceUrl('analytics-service-1')}/analytics/summary`);

/** A counter of an instance's Prometheus /metrics, summed over the series whose labels contain `labelFilter`. */
export async function metricTotal(instanceId: string, metric: string, labelFilter = ''): Promise<number> {
  const text = await (await fetch(`${instanceUrl(instanceId)}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${metric}{`) && line.includes(labelFilter))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

/** Records an instance processed, summed over partitions. */
export const processedByInstance = (instanceId: string): Promise<number> =>
  metricTotal(instanceId, 'fanout_consumer_records_total', 'outcome="processed"');

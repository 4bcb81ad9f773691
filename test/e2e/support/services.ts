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

/** Records an instance processed, summed over partitions, read from its Prometheus /metrics. */
export async function processedByInstance(instanceId: string): Promise<number> {
  const text = await (await fetch(`${instanceUrl(instanceId)}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('fanout_consumer_records_total{') && line.includes('outcome="processed"'))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

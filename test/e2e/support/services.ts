import { operator } from './auth';
import { instances, instanceUrl } from './env';

export interface AnalyticsSummary {
  orderCount: number;
  cancelledCount: number;
  revenueByCurrency: Record<string, string>;
  quantityBySku: Record<string, number>;
}

export async function getJson<T>(url: string, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(url, { headers });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return (await response.json()) as T;
}

/** How many notifications of one kind notification-service sent for an order. */
export const notificationsSent = async (orderId: string, kind: 'order-confirmed' | 'order-cancelled'): Promise<number> =>
  (await getJson<{ kind: string }[]>(`${instanceUrl('notification-service-1')}/notifications?orderId=${orderId}`, await operator())).filter(
    (n) => n.kind === kind,
  ).length;

export const analyticsSummary = async (): Promise<AnalyticsSummary> =>
  getJson<AnalyticsSummary>(`${instanceUrl('analytics-service-1')}/analytics/summary`, await operator());

/** An instance's Prometheus exposition, one line each. */
async function scrape(instanceId: string): Promise<string[]> {
  return (await (await fetch(`${instanceUrl(instanceId)}/metrics`)).text()).split('\n');
}

/** The labelled series of one metric on an instance's /metrics: `name{labels} value`. */
export async function metricSeries(instanceId: string, metric: string): Promise<{ labels: Record<string, string>; value: number }[]> {
  return (await scrape(instanceId))
    .filter((line) => line.startsWith(`${metric}{`))
    .map((line) => {
      const [, labels = '', value = ''] = /^[^{]+\{(.*)\} (\S+)$/.exec(line) ?? [];
      return { labels: Object.fromEntries([...labels.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!])), value: Number(value) };
    });
}

/** A counter of an instance's Prometheus /metrics, summed over the series whose labels contain `labelFilter`. */
export async function metricTotal(instanceId: string, metric: string, labelFilter = ''): Promise<number> {
  return (await scrape(instanceId))
    .filter((line) => (line.startsWith(`${metric}{`) || line.startsWith(`${metric} `)) && line.includes(labelFilter))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

/** Records an instance processed, summed over partitions. */
export const processedByInstance = (instanceId: string): Promise<number> =>
  metricTotal(instanceId, 'fanout_consumer_records_total', 'outcome="processed"');

export const notificationInstances = instances.filter((i) => i.service === 'notification-service').map((i) => i.instanceId);

/** Flips every notification instance's channel-failure switch (PUT /channel/failure). */
export async function setChannelFailing(failing: boolean): Promise<void> {
  for (const id of notificationInstances) {
    const response = await fetch(`${instanceUrl(id)}/channel/failure`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...(await operator()) },
      body: JSON.stringify({ failing }),
    });
    if (response.status !== 200) throw new Error(`PUT /channel/failure on ${id} answered ${response.status}`);
  }
}

/** Each notification instance's breaker state (Closed, Open, HalfOpen), as GET /channel tells an operator. */
export const notificationBreakers = async (): Promise<string[]> =>
  Promise.all(
    notificationInstances.map(async (id) => (await getJson<{ breaker: string }>(`${instanceUrl(id)}/channel`, await operator())).breaker),
  );

/** Partition pauses of all notification instances, summed. */
export const notificationPauses = async (): Promise<number> =>
  (await Promise.all(notificationInstances.map((id) => metricTotal(id, 'fanout_consumer_partition_pauses_total')))).reduce(
    (a, b) => a + b,
    0,
  );

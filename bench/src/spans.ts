import type { ServiceInstance } from '@fanout/local-stack';
import { scrapeConsumers } from './consumer-metrics';

export interface SpanCounts {
  ended: number;
  exported: number;
}

/** Spans ended and spans the collector accepted, summed over each group's instances, from their /metrics. */
export async function scrapeSpanCounts(consumers: ServiceInstance[]): Promise<Record<string, SpanCounts>> {
  const byGroup: Record<string, SpanCounts> = {};
  for (const { group, exposition } of await scrapeConsumers(consumers)) {
    const sum = (byGroup[group] ??= { ended: 0, exported: 0 });
    sum.ended += total(exposition, 'fanout_tracing_spans_ended_total');
    sum.exported += total(exposition, 'fanout_tracing_spans_exported_total');
  }
  return byGroup;
}

function total(exposition: string, metric: string): number {
  const value = new RegExp(`^${metric}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(exposition)?.[1];
  if (value === undefined) throw new Error(`${metric} missing from /metrics`);
  return Number(value);
}

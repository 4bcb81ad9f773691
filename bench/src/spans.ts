import type { ServiceInstance } from '@fanout/local-stack';
import { GROUP_OF_SERVICE } from './fanout-latency';

export interface SpanCounts {
  ended: number;
  exported: number;
}

/** Spans ended and spans the collector accepted, summed over each group's instances, from their /metrics. */
export async function scrapeSpanCounts(consumers: ServiceInstance[]): Promise<Record<string, SpanCounts>> {
  const byGroup: Record<string, SpanCounts> = {};
  await Promise.all(
    consumers.map(async (instance) => {
      const text = await (await fetch(`${instance.url}/metrics`)).text();
      const group = GROUP_OF_SERVICE[instance.service]!;
      const sum = (byGroup[group] ??= { ended: 0, exported: 0 });
      sum.ended += total(text, 'fanout_tracing_spans_ended_total');
      sum.exported += total(text, 'fanout_tracing_spans_exported_total');
    }),
  );
  return byGroup;
}

function total(exposition: string, metric: string): number {
  const value = new RegExp(`^${metric}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(exposition)?.[1];
  if (value === undefined) throw new Error(`${metric} missing from /metrics`);
  return Number(value);
}

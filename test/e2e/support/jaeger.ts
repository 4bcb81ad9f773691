import { jaegerUrl } from './env';

export interface JaegerSpan {
  spanID: string;
  operationName: string;
  processID: string;
  references: { refType: string; spanID: string }[];
  tags: { key: string; value: unknown }[];
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string; tags: { key: string; value: unknown }[] }>;
}

export async function fetchTrace(traceId: string): Promise<JaegerTrace | undefined> {
  const response = await fetch(`${jaegerUrl}/api/traces/${traceId}`);
  if (!response.ok) return undefined;
  return ((await response.json()) as { data: JaegerTrace[] }).data[0];
}

/** Traces of `service` that contain a span named `operation` (Jaeger's search API). */
export async function findTraces(service: string, operation: string): Promise<JaegerTrace[]> {
  const query = new URLSearchParams({ service, operation, limit: '20', lookback: '1h' });
  const response = await fetch(`${jaegerUrl}/api/traces?${query}`);
  if (!response.ok) return [];
  return ((await response.json()) as { data: JaegerTrace[] | null }).data ?? [];
}

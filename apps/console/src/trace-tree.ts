/** A trace as Jaeger's query API returns it (GET /api/traces/:id → data[0]). */
export interface JaegerTrace {
  traceID: string;
  spans: {
    spanID: string;
    operationName: string;
    processID: string;
    startTime: number;
    duration: number;
    references: { refType: string; spanID: string }[];
    tags: { key: string; value: unknown }[];
  }[];
  processes: Record<string, { serviceName: string; tags: { key: string; value: unknown }[] }>;
}

/** One span of an order's fan-out tree, with what the console shows of it. */
export interface TreeNode {
  name: string;
  service: string;
  instance: string | undefined;
  durationMs: number;
  group?: string;
  partition?: string;
  offset?: number;
  error?: string;
  children: TreeNode[];
}

/**
 * Turns a Jaeger trace into its span tree, children in start order: the HTTP request, its `send
 * orders`, one `process orders` per consumer group (group, partition, offset, instance), and under
 * each the work, retries and dead-letter hops.
 */
export function traceTree(trace: JaegerTrace): TreeNode[] {
  const parentOf = (span: JaegerTrace['spans'][number]) => span.references.find((r) => r.refType === 'CHILD_OF')?.spanID;
  const ids = new Set(trace.spans.map((s) => s.spanID));
  const byStart = [...trace.spans].sort((a, b) => a.startTime - b.startTime);
  const node = (span: JaegerTrace['spans'][number]): TreeNode => {
    const tag = (key: string) => span.tags.find((t) => t.key === key)?.value;
    const process = trace.processes[span.processID];
    const error = tag('error') === true ? String(tag('error.type') ?? 'error') : undefined;
    return {
      name: span.operationName,
      service: process?.serviceName ?? '?',
      instance: process?.tags.find((t) => t.key === 'service.instance.id')?.value as string | undefined,
      durationMs: span.duration / 1_000,
      ...(tag('messaging.consumer.group.name') === undefined ? {} : { group: String(tag('messaging.consumer.group.name')) }),
      ...(tag('messaging.destination.partition.id') === undefined ? {} : { partition: String(tag('messaging.destination.partition.id')) }),
      ...(tag('messaging.kafka.offset') === undefined ? {} : { offset: Number(tag('messaging.kafka.offset')) }),
      ...(error ? { error } : {}),
      children: byStart.filter((child) => parentOf(child) === span.spanID).map(node),
    };
  };
  return byStart.filter((span) => !ids.has(parentOf(span) ?? '')).map(node);
}

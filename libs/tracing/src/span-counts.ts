import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';

/**
 * Spans this process ended, and how many of them reached the collector. Under sustained overload the
 * batch processor's queue stays full and drops the excess silently: the gap is how incomplete traces are.
 */
export const spanCounts = { ended: 0, exported: 0 };

/** Counts every recorded span that ends: it sees each one before the batch processor's queue can drop it. */
export class SpanEndCounter implements SpanProcessor {
  onStart(): void {}

  onEnd(): void {
    spanCounts.ended++;
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** An exporter that counts the spans its inner exporter delivered. */
export class CountingExporter implements SpanExporter {
  constructor(private readonly inner: SpanExporter) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.inner.export(spans, (result) => {
      if (result.code === ExportResultCode.SUCCESS) spanCounts.exported += spans.length;
      done(result);
    });
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { BasicTracerProvider, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { CountingExporter, SpanEndCounter, spanCounts } from './span-counts';

/** An exporter that fails every other batch, as a collector that is away sometimes would. */
class FlakyExporter implements SpanExporter {
  private calls = 0;
  export(_spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    done({ code: this.calls++ % 2 === 0 ? ExportResultCode.SUCCESS : ExportResultCode.FAILED });
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

describe('span counts', () => {
  it('counts every span that ends', () => {
    const before = spanCounts.ended;
    const tracer = new BasicTracerProvider({ spanProcessors: [new SpanEndCounter()] }).getTracer('test');
    for (let i = 0; i < 4; i++) tracer.startSpan(`span ${i}`).end();
    tracer.startSpan('still open');
    expect(spanCounts.ended - before).toBe(4);
  });

  it('counts as exported only the spans of batches the exporter delivered, and passes each result on', () => {
    const before = spanCounts.exported;
    const exporter = new CountingExporter(new FlakyExporter());
    const results: ExportResultCode[] = [];
    for (const size of [1, 2, 3, 4]) exporter.export(new Array<ReadableSpan>(size), (r) => results.push(r.code));
    expect(results).toEqual([ExportResultCode.SUCCESS, ExportResultCode.FAILED, ExportResultCode.SUCCESS, ExportResultCode.FAILED]);
    expect(spanCounts.exported - before).toBe(1 + 3);
  });
});

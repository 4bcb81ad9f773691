import { Controller, Get, Header } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, register } from 'prom-client';
import { spanCounts } from '@fanout/tracing';
import { Public } from './auth/decorators';

collectDefaultMetrics();

/** A counter read from a running total kept elsewhere, at each scrape. */
function exposeTotal(name: string, help: string, read: () => number): void {
  new Counter({
    name,
    help,
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}

/** A gauge read from the application's own state at each scrape (a breaker's state, say). */
export function exposeGauge(name: string, help: string, read: () => number): void {
  new Gauge({
    name,
    help,
    collect() {
      this.set(read());
    },
  });
}

exposeTotal('fanout_tracing_spans_ended_total', 'Spans this instance ended (0 with tracing off).', () => spanCounts.ended);
exposeTotal(
  'fanout_tracing_spans_exported_total',
  'Spans the collector accepted. Fewer than ended: still queued, or dropped from a full queue under overload.',
  () => spanCounts.exported,
);

/** Prometheus exposition of this instance's metrics (consumer counts, fan-out latency, spans, memory). */
@Public()
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('Content-Type', register.contentType)
  scrape(): Promise<string> {
    return register.metrics();
  }
}

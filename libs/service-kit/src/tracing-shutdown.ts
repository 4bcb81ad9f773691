import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { stopTracing } from '@fanout/tracing';

/** Flushes the last spans to Jaeger when the service shuts down. */
@Injectable()
export class TracingShutdown implements OnApplicationShutdown {
  onApplicationShutdown(): Promise<void> {
    return stopTracing();
  }
}

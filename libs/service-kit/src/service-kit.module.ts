import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import type { z } from 'zod';
import { configModule } from './config';
import { Draining, HealthController, ReadinessChecks } from './health.controller';
import { loggingModule } from './logging';
import { MetricsController } from './metrics.controller';
import { TracingShutdown } from './tracing-shutdown';

/**
 * What every service has: validated config, JSON logs, /health/live and /health/ready (the checks its
 * dependencies register in ReadinessChecks), /metrics, and span flushing on shutdown.
 */
@Module({})
@Global()
export class ServiceKitModule {
  static forRoot(envSchema: z.ZodType<Record<string, unknown>>): DynamicModule {
    return {
      module: ServiceKitModule,
      imports: [configModule(envSchema), loggingModule(), TerminusModule],
      controllers: [HealthController, MetricsController],
      providers: [TracingShutdown, Draining, ReadinessChecks],
      exports: [Draining, ReadinessChecks],
    };
  }
}

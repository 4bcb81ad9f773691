import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import type { z } from 'zod';
import { configModule } from './config';
import { Draining, HealthController, ReadinessChecks } from './health.controller';
import { loggingModule } from './logging';
import { MetricsController } from './metrics.controller';
import { TracingShutdown } from './tracing-shutdown';

/**
 * What every service has: validated config, /health/live and /health/ready (pings the app provides
 * under HEALTH_PINGS, and checks registered in ReadinessChecks),
 * /metrics, and span flushing on shutdown. The app module lists SERVICE_KIT_CONTROLLERS itself
 * so the health controller can see the app's own providers.
 */
@Module({})
@Global()
export class ServiceKitModule {
  static forRoot(envSchema: z.ZodType<Record<string, unknown>>): DynamicModule {
    return {
      module: ServiceKitModule,
      imports: [configModule(envSchema), loggingModule(), TerminusModule],
      providers: [TracingShutdown, Draining, ReadinessChecks],
      exports: [TerminusModule, Draining, ReadinessChecks],
    };
  }
}

export const SERVICE_KIT_CONTROLLERS = [HealthController, MetricsController];

import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import type { z } from 'zod';
import { configModule } from './config';
import { Draining, HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';
import { TracingShutdown } from './tracing-shutdown';

/**
 * What every service has: validated config, /health (pings the app provides under HEALTH_PINGS),
 * /metrics, and span flushing on shutdown. The app module lists SERVICE_KIT_CONTROLLERS itself
 * so the health controller can see the app's own providers.
 */
@Module({})
@Global()
export class ServiceKitModule {
  static forRoot(envSchema: z.ZodType<Record<string, unknown>>): DynamicModule {
    return {
      module: ServiceKitModule,
      imports: [configModule(envSchema), TerminusModule],
      providers: [TracingShutdown, Draining],
      exports: [TerminusModule, Draining],
    };
  }
}

export const SERVICE_KIT_CONTROLLERS = [HealthController, MetricsController];

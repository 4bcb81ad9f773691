import { Controller, Get, Inject, Injectable, ServiceUnavailableException, type BeforeApplicationShutdown } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';

/** Each service provides this token: the name of each dependency and how to ping it. */
export const HEALTH_PINGS = Symbol('HEALTH_PINGS');
export type HealthPings = Record<string, () => Promise<unknown>>;

/** Turns /health not-ready as soon as shutdown begins, before consumers leave their groups. */
@Injectable()
export class Draining implements BeforeApplicationShutdown {
  active = false;

  beforeApplicationShutdown(): void {
    this.active = true;
  }
}

@Controller('health')
export class HealthController {
  constructor(
    private readonly draining: Draining,
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    @Inject(HEALTH_PINGS) private readonly pings: HealthPings,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    if (this.draining.active) throw new ServiceUnavailableException('shutting down');
    return this.health.check(
      Object.entries(this.pings).map(([name, ping]) => async () => {
        const status = this.indicator.check(name);
        try {
          await ping();
          return status.up();
        } catch (error) {
          return status.down({ message: (error as Error).message });
        }
      }),
    );
  }
}

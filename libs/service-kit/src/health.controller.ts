import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';

/** Each service provides this token: the name of each dependency and how to ping it. */
export const HEALTH_PINGS = Symbol('HEALTH_PINGS');
export type HealthPings = Record<string, () => Promise<unknown>>;

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    @Inject(HEALTH_PINGS) private readonly pings: HealthPings,
  ) {}

  @Get()
  @HealthCheck()
  check() {
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

import { Controller, Get, Inject, Injectable, ServiceUnavailableException, type BeforeApplicationShutdown } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';

/** Each service provides this token: the name of each dependency and how to ping it (readiness only). */
export const HEALTH_PINGS = Symbol('HEALTH_PINGS');
export type HealthPings = Record<string, () => Promise<unknown>>;

export interface Readiness {
  ready: boolean;
  detail: string;
}

/** Readiness of parts built outside Nest's DI (the Kafka consumer), registered at start-up. */
@Injectable()
export class ReadinessChecks {
  readonly checks = new Map<string, () => Readiness>();

  register(name: string, check: () => Readiness): void {
    this.checks.set(name, check);
  }
}

/** Turns readiness off as soon as shutdown begins, before consumers leave their groups. */
@Injectable()
export class Draining implements BeforeApplicationShutdown {
  active = false;

  beforeApplicationShutdown(): void {
    this.active = true;
  }
}

/**
 * Liveness says only that the process answers: a database blip must not get healthy pods restarted.
 * Readiness says whether to send it work: dependencies reachable, consumer in its group and fetching,
 * not draining. A not-ready answer is 503 with the reason per check.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly draining: Draining,
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly readiness: ReadinessChecks,
    @Inject(HEALTH_PINGS) private readonly pings: HealthPings,
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    if (this.draining.active) throw new ServiceUnavailableException('shutting down');
    const pings = Object.entries(this.pings).map(([name, ping]) => async () => {
      const status = this.indicator.check(name);
      try {
        await ping();
        return status.up();
      } catch (error) {
        return status.down({ message: (error as Error).message });
      }
    });
    const checks = [...this.readiness.checks].map(([name, check]) => () => {
      const { ready, detail } = check();
      const status = this.indicator.check(name);
      return ready ? status.up({ detail }) : status.down({ message: detail });
    });
    return this.health.check([...pings, ...checks]);
  }
}

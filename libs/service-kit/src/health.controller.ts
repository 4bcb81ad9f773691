import { Controller, Get, Injectable, ServiceUnavailableException, type BeforeApplicationShutdown } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Public } from './auth/decorators';

export interface Readiness {
  ready: boolean;
  detail: string;
}

export type ReadinessCheck = () => Readiness | Promise<Readiness>;

/**
 * What readiness asks, by name: each dependency registers its own check where it is built (the
 * PostgreSQL pool, the Redis stores, the Kafka consumer), so no app lists its dependencies twice.
 */
@Injectable()
export class ReadinessChecks {
  readonly checks = new Map<string, ReadinessCheck>();

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  /** A check that is ready when `ping` resolves, and names the error when it throws. */
  registerPing(name: string, ping: () => Promise<unknown>): void {
    this.register(name, async () => {
      try {
        await ping();
        return { ready: true, detail: 'answers' };
      } catch (error) {
        return { ready: false, detail: (error as Error).message };
      }
    });
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
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly draining: Draining,
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly readiness: ReadinessChecks,
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    if (this.draining.active) throw new ServiceUnavailableException('shutting down');
    const checks = [...this.readiness.checks].map(([name, check]) => async () => {
      const { ready, detail } = await check();
      const status = this.indicator.check(name);
      return ready ? status.up({ detail }) : status.down({ message: detail });
    });
    return this.health.check(checks);
  }
}

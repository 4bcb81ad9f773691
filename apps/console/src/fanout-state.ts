import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { CONSOLE_GROUP_PREFIX, CONSUMER_GROUPS, ORDERS_TOPIC } from '@fanout/contracts';
import type { FanoutInspector, GroupState, TailedRecord } from '@fanout/messaging';
import { ReadinessChecks } from '@fanout/service-kit';
import { serviceInstanceId } from '@fanout/tracing';
import type { ConsoleEnv } from './config';

export const INSPECTOR = Symbol('INSPECTOR');

export interface GroupView extends GroupState {
  /** Records the group committed per second since the previous refresh. */
  recordsPerS: number;
  /** notification's channel breaker: open on any instance, closed on all, or unknown. */
  breaker?: 'open' | 'closed' | 'unknown';
}

export interface ConsoleSnapshot {
  at: string;
  groups: GroupView[];
  orders: TailedRecord[];
  jaegerUiUrl: string;
}

const RECENT_ORDERS = 25;

/** The console's picture of the fan-out, refreshed from Kafka every CONSOLE_REFRESH_MS. */
@Injectable()
export class FanoutState implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(FanoutState.name);
  private groups: GroupView[] = [];
  private readonly orders: TailedRecord[] = [];
  private previous = new Map<string, { at: number; committed: number }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(INSPECTOR) private readonly inspector: FanoutInspector,
    private readonly config: ConfigService<ConsoleEnv, true>,
    readiness: ReadinessChecks,
  ) {
    readiness.register('kafka', () =>
      this.groups.length === Object.keys(CONSUMER_GROUPS).length
        ? { ready: true, detail: 'every group read at the last refresh' }
        : { ready: false, detail: 'the last refresh could not read the consumer groups' },
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.inspector.follow(ORDERS_TOPIC, `${CONSOLE_GROUP_PREFIX}${serviceInstanceId()}`, (record) => {
      this.orders.unshift(record);
      this.orders.length = Math.min(this.orders.length, RECENT_ORDERS);
    });
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.config.get('CONSOLE_REFRESH_MS')).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.inspector.close();
  }

  snapshot(): ConsoleSnapshot {
    return { at: new Date().toISOString(), groups: this.groups, orders: this.orders, jaegerUiUrl: this.config.get('JAEGER_UI_URL') };
  }

  private async refresh(): Promise<void> {
    try {
      const [groups, breaker] = await Promise.all([this.inspector.groups(ORDERS_TOPIC, Object.values(CONSUMER_GROUPS)), this.breaker()]);
      const now = Date.now();
      this.groups = groups.map((group) => {
        const committed = group.partitions.reduce((sum, p) => sum + p.committed, 0);
        const before = this.previous.get(group.groupId);
        this.previous.set(group.groupId, { at: now, committed });
        const recordsPerS = before && now > before.at ? Math.max(0, ((committed - before.committed) * 1_000) / (now - before.at)) : 0;
        return { ...group, recordsPerS, ...(group.groupId === CONSUMER_GROUPS.notification ? { breaker } : {}) };
      });
    } catch (error) {
      this.groups = [];
      this.log.warn(`refresh failed: ${(error as Error).message}`);
    }
  }

  /** Reads fanout_notification_breaker_open from each notification instance's /metrics. */
  private async breaker(): Promise<GroupView['breaker']> {
    const list: string = this.config.get('CONSOLE_BREAKER_URLS');
    const urls = list
      .split(',')
      .map((u) => u.trim())
      .filter(Boolean);
    const states = await Promise.all(
      urls.map(async (url) => {
        try {
          const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(1_000) })).text();
          return /^fanout_notification_breaker_open (\S+)$/m.exec(text)?.[1];
        } catch {
          return undefined;
        }
      }),
    );
    if (states.some((s) => s !== undefined && Number(s) > 0)) return 'open';
    return states.length > 0 && states.every((s) => s === '0') ? 'closed' : 'unknown';
  }
}

import type { Consumer } from 'kafkajs';

export interface ConsumerReadiness {
  ready: boolean;
  /** Why not ready, or what it is doing: "joined, 3 partitions", "no fetch for 75 s", "crashed: …". */
  detail: string;
}

type State = 'starting' | 'joined' | 'rebalancing' | 'restarting' | 'crashed' | 'stopped';

/**
 * Follows a kafkajs consumer through its instrumentation events, for the readiness probe: ready
 * while it is in its group (or joining one) and its fetch loop turns; not ready once it crashed for
 * good, stopped, or has not started a fetch for `stallTimeoutMs` (a handler stuck on a batch).
 */
export class ConsumerHealth {
  private state: State = 'starting';
  private lastActivityAt = Date.now();
  private partitions = 0;
  private crash = '';

  constructor(
    consumer: Consumer,
    private readonly stallTimeoutMs: number,
    private readonly now = Date.now,
  ) {
    const { events } = consumer;
    const active = (state?: State) => {
      if (state) this.state = state;
      this.lastActivityAt = this.now();
    };
    consumer.on(events.GROUP_JOIN, ({ payload }) => {
      this.partitions = Object.values(payload.memberAssignment).reduce((n, p) => n + p.length, 0);
      active('joined');
    });
    consumer.on(events.REBALANCING, () => active('rebalancing'));
    consumer.on(events.FETCH_START, () => active());
    consumer.on(events.CRASH, ({ payload }) => {
      this.crash = payload.error.message;
      active(payload.restart ? 'restarting' : 'crashed');
    });
    consumer.on(events.STOP, () => active('stopped'));
  }

  readiness(): ConsumerReadiness {
    if (this.state === 'crashed') return { ready: false, detail: `crashed: ${this.crash}` };
    if (this.state === 'stopped') return { ready: false, detail: 'stopped' };
    const idleMs = this.now() - this.lastActivityAt;
    if (idleMs > this.stallTimeoutMs) return { ready: false, detail: `${this.state}, no fetch for ${Math.round(idleMs / 1000)} s` };
    return { ready: true, detail: this.state === 'joined' ? `joined, ${this.partitions} partition(s)` : this.state };
  }
}

import Redis from 'ioredis';
import type { OrderView } from './order-view';

// Merges each patch (ARGV: patch, version, patch, version, ...) into its view (KEYS, in the same order),
// in order, only if the event is newer than what the view already reflects; returns how many changed.
// One script call per batch: one Redis command and one reply instead of one per change.
const APPLY_IF_NEWER = `
local applied = 0
for i, key in ipairs(KEYS) do
  local version = tonumber(ARGV[2 * i])
  local current = redis.call('GET', key)
  local view = {}
  if current then view = cjson.decode(current) end
  if not current or tonumber(view.version) < version then
    for field, value in pairs(cjson.decode(ARGV[2 * i - 1])) do view[field] = value end
    view.version = version
    redis.call('SET', key, cjson.encode(view))
    applied = applied + 1
  end
end
return applied`;

export type ViewPatch = Partial<Omit<OrderView, 'version'>> & Pick<OrderView, 'orderId'>;

interface ScriptedRedis extends Redis {
  applyIfNewer(keyCount: number, ...keysThenArgs: (string | number)[]): Promise<number>;
}

/** The Redis read model of orders (keys `order-view:<id>`): cache-refresh-service writes it, order-service only reads it. */
export class OrderViewStore {
  private readonly redis: ScriptedRedis;

  constructor(url: string) {
    this.redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3, enableAutoPipelining: true }) as ScriptedRedis;
    this.redis.defineCommand('applyIfNewer', { lua: APPLY_IF_NEWER }); // the key count is the call's first argument
  }

  static key(orderId: string): string {
    return `order-view:${orderId}`;
  }

  connect(): Promise<void> {
    return this.redis.connect();
  }

  async get(orderId: string): Promise<OrderView | null> {
    const json = await this.redis.get(OrderViewStore.key(orderId));
    return json ? (JSON.parse(json) as OrderView) : null;
  }

  /**
   * Applies each change at its version, in order, in one round trip; a change older than what its
   * view already reflects changes nothing. Returns how many views changed.
   */
  async applyAll(changes: { patch: ViewPatch; version: number }[]): Promise<number> {
    if (changes.length === 0) return 0;
    const keys = changes.map(({ patch }) => OrderViewStore.key(patch.orderId));
    const args = changes.flatMap(({ patch, version }) => [JSON.stringify(patch), version]);
    return this.redis.applyIfNewer(keys.length, ...keys, ...args);
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit();
  }
}

import Redis from 'ioredis';
import type { OrderView } from './order-view';

// Merges a patch into the stored view only if the event is newer than what the view already reflects.
const APPLY_IF_NEWER = `
local current = redis.call('GET', KEYS[1])
local version = tonumber(ARGV[2])
local view = {}
if current then
  view = cjson.decode(current)
  if tonumber(view.version) >= version then return 0 end
end
for field, value in pairs(cjson.decode(ARGV[1])) do view[field] = value end
view.version = version
redis.call('SET', KEYS[1], cjson.encode(view))
return 1`;

export type ViewPatch = Partial<Omit<OrderView, 'version'>> & Pick<OrderView, 'orderId'>;

interface ScriptedRedis extends Redis {
  applyIfNewer(key: string, patch: string, version: number): Promise<number>;
}

/** The Redis read model of orders (keys `order-view:<id>`): cache-refresh-service writes it, order-service only reads it. */
export class OrderViewStore {
  private readonly redis: ScriptedRedis;

  constructor(url: string) {
    this.redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3, enableAutoPipelining: true }) as ScriptedRedis;
    this.redis.defineCommand('applyIfNewer', { numberOfKeys: 1, lua: APPLY_IF_NEWER });
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
    const pipeline = this.redis.pipeline() as ReturnType<Redis['pipeline']> & {
      applyIfNewer(key: string, patch: string, version: number): unknown;
    };
    for (const { patch, version } of changes) pipeline.applyIfNewer(OrderViewStore.key(patch.orderId), JSON.stringify(patch), version);
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed) throw failed[0];
    return results.filter(([, applied]) => applied === 1).length;
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit();
  }
}

import { ORDER_CREATED, type OrderCancelled, type OrderCreated, type OrderEvent } from '@fanout/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { arrayLiteral, PG_POOL, type Pool } from '@fanout/postgres';

export interface AnalyticsSummary {
  orderCount: number;
  cancelledCount: number;
  revenueByCurrency: Record<string, string>;
  cancelledRevenueByCurrency: Record<string, string>;
  quantityBySku: Record<string, number>;
  ordersPerMinute: { minute: string; orderCount: number }[];
}

/**
 * Aggregates in PostgreSQL. Each order is counted at most once and cancelled at most once: the order's
 * row is the dedup record (an OrderCreated counts only if it inserts the row, an OrderCancelled only if it
 * flips `cancelled`), and the aggregate updates it causes are in the same statement (data-modifying CTEs),
 * one round trip per run of events. A redelivered event, or a second event for the same order, changes
 * nothing.
 */
@Injectable()
export class AnalyticsRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /**
   * Applies a run of events: the orders not counted before update the aggregates, the others change
   * nothing. Consecutive events of one type go in one statement, in offset order, so a cancel never
   * precedes its order; each statement is atomic, so a run that fails half-way is applied again from
   * where it failed (what was applied changes nothing). Returns how many events changed something.
   */
  async applyEvents(events: OrderEvent[]): Promise<number> {
    let fresh = 0;
    for (const run of runsOfType(firstPerOrder(events))) {
      fresh += run[0]!.type === ORDER_CREATED ? await this.recordCreated(run) : await this.recordCancelled(run);
    }
    return fresh;
  }

  // Aggregates are upserted in a fixed key order, so concurrent statements lock rows alike (no deadlock).
  private async recordCreated(run: OrderEvent[]): Promise<number> {
    const orders = dataOf<OrderCreated>(run);
    const items = orders.flatMap((o) => o.items.map((item) => ({ orderId: o.orderId, ...item })));
    const { rows } = await this.pool.query<{ fresh: number }>({
      name: 'record-created',
      text: `WITH input AS (
               SELECT * FROM unnest($1::uuid[], $2::text[], $3::numeric[], $4::timestamptz[])
                 AS i(order_id, currency, total, created_at)
             ), fresh AS (
               INSERT INTO analytics.orders (order_id, currency, total)
               SELECT order_id, currency, total FROM input ON CONFLICT (order_id) DO NOTHING RETURNING order_id
             ), created AS (
               SELECT input.* FROM input JOIN fresh USING (order_id)
             ), currencies AS (
               INSERT INTO analytics.currency_totals (currency, order_count, revenue)
               SELECT currency, count(*), sum(total) FROM created GROUP BY currency ORDER BY currency
               ON CONFLICT (currency) DO UPDATE SET order_count = currency_totals.order_count + EXCLUDED.order_count,
                                                    revenue = currency_totals.revenue + EXCLUDED.revenue
             ), skus AS (
               INSERT INTO analytics.sku_quantities (sku, quantity)
               SELECT sku, sum(quantity) FROM unnest($5::uuid[], $6::text[], $7::bigint[]) AS t(order_id, sku, quantity)
               JOIN fresh USING (order_id) GROUP BY sku ORDER BY sku
               ON CONFLICT (sku) DO UPDATE SET quantity = sku_quantities.quantity + EXCLUDED.quantity
             ), minutes AS (
               INSERT INTO analytics.orders_per_minute (minute, order_count)
               SELECT date_trunc('minute', created_at), count(*) FROM created GROUP BY 1 ORDER BY 1
               ON CONFLICT (minute) DO UPDATE SET order_count = orders_per_minute.order_count + EXCLUDED.order_count
             )
             SELECT count(*)::int AS fresh FROM fresh`,
      values: [
        arrayLiteral(orders, (o) => o.orderId),
        arrayLiteral(orders, (o) => o.currency),
        arrayLiteral(orders, (o) => o.total),
        arrayLiteral(orders, (o) => o.createdAt),
        arrayLiteral(items, (i) => i.orderId),
        arrayLiteral(items, (i) => i.sku),
        arrayLiteral(items, (i) => i.quantity),
      ],
    });
    return rows[0]!.fresh;
  }

  /** Cancels known, not yet cancelled orders; unknown or already cancelled ones change nothing. */
  private async recordCancelled(run: OrderEvent[]): Promise<number> {
    const { rows } = await this.pool.query<{ fresh: number }>({
      name: 'record-cancelled',
      text: `WITH cancelled AS (
               UPDATE analytics.orders SET cancelled = true WHERE order_id = ANY($1::uuid[]) AND NOT cancelled
               RETURNING currency, total
             ), per_currency AS (
               SELECT currency, count(*) AS n, sum(total) AS revenue FROM cancelled GROUP BY currency
             ), totals AS (
               UPDATE analytics.currency_totals t SET cancelled_count = t.cancelled_count + c.n, cancelled_revenue = t.cancelled_revenue + c.revenue
               FROM per_currency c WHERE t.currency = c.currency
             )
             SELECT count(*)::int AS fresh FROM cancelled`,
      values: [arrayLiteral(dataOf<OrderCancelled>(run), (c) => c.orderId)],
    });
    return rows[0]!.fresh;
  }

  async summary(): Promise<AnalyticsSummary> {
    const [currencies, skus, minutes] = await Promise.all([
      this.pool.query<{ currency: string; order_count: string; revenue: string; cancelled_count: string; cancelled_revenue: string }>(
        'SELECT currency, order_count, revenue::text, cancelled_count, cancelled_revenue::text FROM analytics.currency_totals ORDER BY currency',
      ),
      this.pool.query<{ sku: string; quantity: string }>('SELECT sku, quantity FROM analytics.sku_quantities ORDER BY sku'),
      this.pool.query<{ minute: Date; order_count: string }>(
        'SELECT minute, order_count FROM analytics.orders_per_minute ORDER BY minute DESC LIMIT 60',
      ),
    ]);
    const sum = (field: 'order_count' | 'cancelled_count') => currencies.rows.reduce((n, r) => n + Number(r[field]), 0);
    return {
      orderCount: sum('order_count'),
      cancelledCount: sum('cancelled_count'),
      revenueByCurrency: Object.fromEntries(currencies.rows.map((r) => [r.currency, r.revenue])),
      cancelledRevenueByCurrency: Object.fromEntries(currencies.rows.map((r) => [r.currency, r.cancelled_revenue])),
      quantityBySku: Object.fromEntries(skus.rows.map((r) => [r.sku, Number(r.quantity)])),
      ordersPerMinute: minutes.rows.map((r) => ({ minute: r.minute.toISOString(), orderCount: Number(r.order_count) })),
    };
  }
}

/** Each order's first event of each type: a repeat in the same batch would change nothing anyway. */
function firstPerOrder(events: OrderEvent[]): OrderEvent[] {
  const seen = new Set<string>();
  return events.filter((e) => {
    const key = `${e.type} ${e.data.orderId}`;
    return !seen.has(key) && Boolean(seen.add(key));
  });
}

function runsOfType(events: OrderEvent[]): OrderEvent[][] {
  const runs: OrderEvent[][] = [];
  for (const event of events) {
    const last = runs.at(-1);
    if (last && last[0]!.type === event.type) last.push(event);
    else runs.push([event]);
  }
  return runs;
}

/** The events' data, typed by their run's type. */
const dataOf = <T>(run: OrderEvent[]) => run.map((e) => e.data as T);

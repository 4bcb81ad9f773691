import { ORDER_CREATED, type OrderCancelled, type OrderCreated, type OrderEvent } from '@fanout/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { inTransaction, PG_POOL, type Pool, type PoolClient } from '@fanout/postgres';

export interface AnalyticsSummary {
  orderCount: number;
  cancelledCount: number;
  revenueByCurrency: Record<string, string>;
  cancelledRevenueByCurrency: Record<string, string>;
  quantityBySku: Record<string, number>;
  ordersPerMinute: { minute: string; orderCount: number }[];
}

/** Aggregates in PostgreSQL. Each event is applied at most once: dedup row and aggregate update share a transaction. */
@Injectable()
export class AnalyticsRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /**
   * Applies a run of events in one transaction: the events not applied before (by event id) update
   * the aggregates, the others change nothing. Returns how many were new.
   */
  applyEvents(events: OrderEvent[]): Promise<number> {
    return inTransaction(this.pool, async (client) => {
      const unique = [...new Map(events.map((e) => [e.id, e])).values()];
      const { rows } = await client.query<{ event_id: string }>(
        'INSERT INTO analytics.applied_events (event_id) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING RETURNING event_id',
        [unique.map((e) => e.id)],
      );
      const fresh = new Set(rows.map((r) => r.event_id));
      // Consecutive events of one type go together, in offset order: a cancel never precedes its order.
      for (const run of runsOfType(unique.filter((e) => fresh.has(e.id)))) {
        if (run[0]!.type === ORDER_CREATED)
          await recordCreated(
            client,
            run.map((e) => e.data as OrderCreated),
          );
        else
          await recordCancelled(
            client,
            run.map((e) => e.data as OrderCancelled),
          );
      }
      return fresh.size;
    });
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

function runsOfType(events: OrderEvent[]): OrderEvent[][] {
  const runs: OrderEvent[][] = [];
  for (const event of events) {
    const last = runs.at(-1);
    if (last && last[0]!.type === event.type) last.push(event);
    else runs.push([event]);
  }
  return runs;
}

// Aggregates are upserted in a fixed key order, so concurrent transactions lock rows alike (no deadlock).
async function recordCreated(client: PoolClient, orders: OrderCreated[]): Promise<void> {
  await client.query(
    `INSERT INTO analytics.orders (order_id, currency, total)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::numeric[]) ON CONFLICT (order_id) DO NOTHING`,
    [orders.map((o) => o.orderId), orders.map((o) => o.currency), orders.map((o) => o.total)],
  );
  await client.query(
    `INSERT INTO analytics.currency_totals (currency, order_count, revenue)
     SELECT currency, count(*), sum(total) FROM unnest($1::text[], $2::numeric[]) AS t(currency, total)
     GROUP BY currency ORDER BY currency
     ON CONFLICT (currency) DO UPDATE SET order_count = currency_totals.order_count + EXCLUDED.order_count,
                                          revenue = currency_totals.revenue + EXCLUDED.revenue`,
    [orders.map((o) => o.currency), orders.map((o) => o.total)],
  );
  const items = orders.flatMap((o) => o.items);
  await client.query(
    `INSERT INTO analytics.sku_quantities (sku, quantity)
     SELECT sku, sum(quantity) FROM unnest($1::text[], $2::bigint[]) AS t(sku, quantity) GROUP BY sku ORDER BY sku
     ON CONFLICT (sku) DO UPDATE SET quantity = sku_quantities.quantity + EXCLUDED.quantity`,
    [items.map((i) => i.sku), items.map((i) => i.quantity)],
  );
  await client.query(
    `INSERT INTO analytics.orders_per_minute (minute, order_count)
     SELECT date_trunc('minute', created_at), count(*) FROM unnest($1::timestamptz[]) AS t(created_at) GROUP BY 1 ORDER BY 1
     ON CONFLICT (minute) DO UPDATE SET order_count = orders_per_minute.order_count + EXCLUDED.order_count`,
    [orders.map((o) => o.createdAt)],
  );
}

/** Cancels known, not yet cancelled orders; unknown or already cancelled ones count nothing. */
async function recordCancelled(client: PoolClient, cancels: OrderCancelled[]): Promise<void> {
  await client.query(
    `WITH cancelled AS (
       UPDATE analytics.orders SET cancelled = true WHERE order_id = ANY($1::uuid[]) AND NOT cancelled RETURNING currency, total
     ), per_currency AS (
       SELECT currency, count(*) AS n, sum(total) AS revenue FROM cancelled GROUP BY currency
     )
     UPDATE analytics.currency_totals t SET cancelled_count = t.cancelled_count + c.n, cancelled_revenue = t.cancelled_revenue + c.revenue
     FROM per_currency c WHERE t.currency = c.currency`,
    [cancels.map((c) => c.orderId)],
  );
}

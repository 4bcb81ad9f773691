import type { OrderCancelled, OrderCreated } from '@fanout/contracts';
import { inTransaction, type Pool, type PoolClient } from '@fanout/postgres';

export interface AnalyticsSummary {
  orderCount: number;
  cancelledCount: number;
  revenueByCurrency: Record<string, string>;
  cancelledRevenueByCurrency: Record<string, string>;
  quantityBySku: Record<string, number>;
  ordersPerMinute: { minute: string; orderCount: number }[];
}

/** Aggregates in PostgreSQL. Each event is applied at most once: dedup row and aggregate update share a transaction. */
export class AnalyticsRepository {
  constructor(private readonly pool: Pool) {}

  /** Applies an event's effects unless this event id was applied before; false for a duplicate. */
  applyOnce(eventId: string, apply: (client: PoolClient) => Promise<void>): Promise<boolean> {
    return inTransaction(this.pool, async (client) => {
      const fresh = await client.query(
        'INSERT INTO analytics.applied_events (event_id) VALUES ($1) ON CONFLICT DO NOTHING',
        [eventId],
      );
      if (fresh.rowCount === 0) return false;
      await apply(client);
      return true;
    });
  }

  static async recordCreated(client: PoolClient, order: OrderCreated): Promise<void> {
    await client.query(
      'INSERT INTO analytics.orders (order_id, currency, total) VALUES ($1, $2, $3) ON CONFLICT (order_id) DO NOTHING',
      [order.orderId, order.currency, order.total],
    );
    await client.query(
      `INSERT INTO analytics.currency_totals (currency, order_count, revenue) VALUES ($1, 1, $2)
       ON CONFLICT (currency) DO UPDATE SET order_count = currency_totals.order_count + 1,
                                            revenue = currency_totals.revenue + EXCLUDED.revenue`,
      [order.currency, order.total],
    );
    // One statement for all SKUs, in a fixed order, so concurrent transactions lock rows alike (no deadlock).
    const quantities = new Map<string, number>();
    for (const item of order.items) quantities.set(item.sku, (quantities.get(item.sku) ?? 0) + item.quantity);
    const skus = [...quantities.keys()].sort();
    await client.query(
      `INSERT INTO analytics.sku_quantities (sku, quantity)
       SELECT * FROM unnest($1::text[], $2::bigint[])
       ON CONFLICT (sku) DO UPDATE SET quantity = sku_quantities.quantity + EXCLUDED.quantity`,
      [skus, skus.map((sku) => quantities.get(sku))],
    );
    await client.query(
      `INSERT INTO analytics.orders_per_minute (minute, order_count) VALUES (date_trunc('minute', $1::timestamptz), 1)
       ON CONFLICT (minute) DO UPDATE SET order_count = orders_per_minute.order_count + 1`,
      [order.createdAt],
    );
  }

  static async recordCancelled(client: PoolClient, cancel: OrderCancelled): Promise<void> {
    const { rows } = await client.query<{ currency: string; total: string }>(
      'UPDATE analytics.orders SET cancelled = true WHERE order_id = $1 AND NOT cancelled RETURNING currency, total',
      [cancel.orderId],
    );
    const [order] = rows;
    if (!order) return; // unknown or already cancelled: nothing to count
    await client.query(
      `UPDATE analytics.currency_totals SET cancelled_count = cancelled_count + 1,
                                            cancelled_revenue = cancelled_revenue + $2 WHERE currency = $1`,
      [order.currency, order.total],
    );
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
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

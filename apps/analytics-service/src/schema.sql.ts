/** The analytics tables (in the schema "analytics", which this service's role owns): a dedup log of applied events, and the aggregates they update. */
export const ANALYTICS_SCHEMA = `
CREATE TABLE IF NOT EXISTS analytics.applied_events (
  event_id   text PRIMARY KEY,
  applied_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS analytics.orders (
  order_id   uuid PRIMARY KEY,
  currency   char(3) NOT NULL,
  total      numeric NOT NULL,
  cancelled  boolean NOT NULL DEFAULT false
);
CREATE TABLE IF NOT EXISTS analytics.currency_totals (
  currency          char(3) PRIMARY KEY,
  order_count       bigint  NOT NULL DEFAULT 0,
  revenue           numeric NOT NULL DEFAULT 0,
  cancelled_count   bigint  NOT NULL DEFAULT 0,
  cancelled_revenue numeric NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS analytics.sku_quantities (
  sku      text PRIMARY KEY,
  quantity bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS analytics.orders_per_minute (
  minute      timestamptz PRIMARY KEY,
  order_count bigint NOT NULL
);`;

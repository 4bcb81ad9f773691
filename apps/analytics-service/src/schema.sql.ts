/**
 * The analytics tables (in the schema "analytics", which this service's role owns): the orders counted,
 * which are also what makes an event count once, and the aggregates they update. A database from before
 * that kept a log of applied event ids: its orders table already holds every order that log counted.
 */
export const ANALYTICS_SCHEMA = `
DROP TABLE IF EXISTS analytics.applied_events;
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

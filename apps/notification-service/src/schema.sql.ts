/** One row per delivered notification; the event id is the delivery key, so a redelivered event sends nothing. */
export const NOTIFICATION_SCHEMA = `
CREATE SCHEMA IF NOT EXISTS notification;
CREATE TABLE IF NOT EXISTS notification.sent_notifications (
  delivery_key text PRIMARY KEY,
  order_id     uuid NOT NULL,
  kind         text NOT NULL,
  recipient    text NOT NULL,
  message      text NOT NULL,
  instance_id  text NOT NULL,
  sent_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS sent_notifications_order_id ON notification.sent_notifications (order_id);`;

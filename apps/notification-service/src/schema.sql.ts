/**
 * The delivery outbox: one row per notification, keyed by the event id (its delivery key). A row is
 * claimed (sent_at NULL) in one statement per batch before the channel is called, and marked sent after;
 * `sent_notifications` is what was delivered. A database from before the outbox had only sent rows,
 * under that name: it becomes the outbox as it is.
 */
export const NOTIFICATION_SCHEMA = `
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = 'notification' AND tablename = 'sent_notifications') THEN
    ALTER TABLE notification.sent_notifications RENAME TO deliveries;
  END IF;
END $$;
CREATE TABLE IF NOT EXISTS notification.deliveries (
  delivery_key text PRIMARY KEY,
  order_id     uuid NOT NULL,
  kind         text NOT NULL,
  recipient    text NOT NULL,
  message      text NOT NULL,
  instance_id  text NOT NULL,
  claimed_at   timestamptz NOT NULL DEFAULT now(),
  sent_at      timestamptz
);
ALTER TABLE notification.deliveries ADD COLUMN IF NOT EXISTS claimed_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE notification.deliveries ALTER COLUMN sent_at DROP DEFAULT, ALTER COLUMN sent_at DROP NOT NULL;
CREATE INDEX IF NOT EXISTS deliveries_order_id ON notification.deliveries (order_id);
CREATE OR REPLACE VIEW notification.sent_notifications AS
  SELECT delivery_key, order_id, kind, recipient, message, instance_id, sent_at FROM notification.deliveries WHERE sent_at IS NOT NULL;`;

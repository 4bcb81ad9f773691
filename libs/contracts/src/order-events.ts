import { z } from 'zod';

/** A money amount as an exact decimal string ("19.99"): never a float on the wire. */
export const Money = z.string().regex(/^\d{1,12}(\.\d{1,4})?$/, 'must be a non-negative decimal string such as "19.99"');

export const OrderItem = z.object({
  sku: z.string().min(1).max(64),
  quantity: z.number().int().positive(),
  unitPrice: Money,
});
export type OrderItem = z.infer<typeof OrderItem>;

export const OrderCreated = z.object({
  schemaVersion: z.literal(1),
  orderId: z.uuid(),
  customerId: z.string().min(1),
  currency: z.string().regex(/^[A-Z]{3}$/),
  items: z.array(OrderItem).min(1),
  total: Money,
  createdAt: z.iso.datetime(),
});
export type OrderCreated = z.infer<typeof OrderCreated>;

export const OrderCancelled = z.object({
  schemaVersion: z.literal(1),
  orderId: z.uuid(),
  cancelledAt: z.iso.datetime(),
});
export type OrderCancelled = z.infer<typeof OrderCancelled>;

/** Every event type on the orders topic: CloudEvents `type` → payload schema. */
export const ORDER_EVENT_SCHEMAS = {
  'dev.fanout.order.created.v1': OrderCreated,
  'dev.fanout.order.cancelled.v1': OrderCancelled,
} as const;

export type OrderEventType = keyof typeof ORDER_EVENT_SCHEMAS;
export type OrderEventOf<T extends OrderEventType> = z.infer<(typeof ORDER_EVENT_SCHEMAS)[T]>;

/** Each event type's payload: what a publisher of order events may send (`EventPublisher<OrderEventMap>`). */
export type OrderEventMap = { [T in OrderEventType]: OrderEventOf<T> };

export const ORDER_CREATED = 'dev.fanout.order.created.v1' satisfies OrderEventType;
export const ORDER_CANCELLED = 'dev.fanout.order.cancelled.v1' satisfies OrderEventType;

/** A decoded event: its CloudEvents type narrows its data. */
export type OrderEvent =
  | { type: 'dev.fanout.order.created.v1'; id: string; data: OrderCreated }
  | { type: 'dev.fanout.order.cancelled.v1'; id: string; data: OrderCancelled };

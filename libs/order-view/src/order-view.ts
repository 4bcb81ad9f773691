import type { OrderItem } from '@fanout/contracts';

export type OrderStatus = 'CREATED' | 'CANCELLED';

/** The read model of one order, as GET /orders/:id serves it. */
export interface OrderView {
  orderId: string;
  status: OrderStatus;
  customerId?: string;
  currency?: string;
  items?: OrderItem[];
  total?: string;
  createdAt?: string;
  cancelledAt?: string;
  /** Position of the last applied event in its partition: an older event never overwrites a newer view. */
  version: number;
}

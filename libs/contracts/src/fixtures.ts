import { randomUUID } from 'node:crypto';
import type { OrderCancelled, OrderCreated } from './order-events';

/**
 * Valid events for specs, benchmarks and drills: one builder per event, so a schema change is made
 * in one place. Overrides replace whole fields; the total stays the caller's to keep consistent.
 */
export function anOrderCreated(overrides: Partial<OrderCreated> = {}): OrderCreated {
  return {
    schemaVersion: 1,
    orderId: randomUUID(),
    customerId: 'customer-42',
    currency: 'EUR',
    items: [
      { sku: 'SKU-1', quantity: 2, unitPrice: '19.99' },
      { sku: 'SKU-7', quantity: 1, unitPrice: '5.00' },
    ],
    total: '44.98',
    createdAt: new Date().toISOString(),
    ...overrides,
  };
}

export function anOrderCancelled(overrides: Partial<OrderCancelled> = {}): OrderCancelled {
  return { schemaVersion: 1, orderId: randomUUID(), cancelledAt: new Date().toISOString(), ...overrides };
}

import Big from 'big.js';
import type { OrderItem } from '@fanout/contracts';

/**
 * Exact order total as a decimal string: the sum of quantity × unitPrice with no floating point,
 * at the finest scale of its prices (never fewer than 2 decimals).
 */
export function orderTotal(items: Pick<OrderItem, 'quantity' | 'unitPrice'>[]): string {
  const scale = Math.max(2, ...items.map((item) => item.unitPrice.split('.')[1]?.length ?? 0));
  return items.reduce((sum, item) => sum.plus(new Big(item.unitPrice).times(item.quantity)), new Big(0)).toFixed(scale);
}

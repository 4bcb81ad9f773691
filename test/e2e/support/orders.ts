import Big from 'big.js';
import { backOffice } from './auth';
import { orderServiceUrl } from './env';
import { getJson } from './services';

export interface OrderRequest {
  customerId: string;
  currency: string;
  items: { sku: string; quantity: number; unitPrice: string }[];
}

const CURRENCIES = ['EUR', 'USD', 'GBP', 'JPY'];
const pick = <T>(values: T[]): T => values[Math.floor(Math.random() * values.length)]!;
const randomInt = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

export function randomOrder(): OrderRequest {
  return {
    customerId: `customer-${randomInt(1, 10_000)}`,
    currency: pick(CURRENCIES),
    items: Array.from({ length: randomInt(1, 4) }, () => ({
      sku: `SKU-${randomInt(1, 50)}`,
      quantity: randomInt(1, 9),
      unitPrice: `${randomInt(0, 999)}.${String(randomInt(0, 99)).padStart(2, '0')}`,
    })),
  };
}

/** The exact revenue of a set of orders, per currency, computed independently of the system. */
export function revenueByCurrency(orders: OrderRequest[]): Map<string, Big> {
  const revenue = new Map<string, Big>();
  for (const order of orders) {
    const total = order.items.reduce((sum, i) => sum.plus(new Big(i.unitPrice).times(i.quantity)), new Big(0));
    revenue.set(order.currency, (revenue.get(order.currency) ?? new Big(0)).plus(total));
  }
  return revenue;
}

export interface Accepted {
  orderId: string;
  traceId: string;
}

export async function postJson(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${orderServiceUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await backOffice()), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Submits an order and insists on 202 {orderId, traceId}. */
export async function submitOrder(order: OrderRequest): Promise<Accepted> {
  const response = await postJson('/orders', order);
  if (response.status !== 202) throw new Error(`POST /orders answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as Accepted;
}

/** Runs `task` over `items` with at most `concurrency` in flight. */
export async function inParallel<T, R>(items: T[], concurrency: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await task(items[index]!);
      }
    }),
  );
  return results;
}

/** An order's view, as the back office reads it. */
export async function getOrder<T = { status: string }>(orderId: string): Promise<T> {
  return getJson<T>(`${orderServiceUrl}/orders/${orderId}`, await backOffice());
}

import { eventually } from './support/eventually';
import { getOrder, inParallel, postJson, randomOrder, submitOrder } from './support/orders';
import { ordersSettled } from './support/orders-topic';
import { analyticsSummary } from './support/services';

/** Events of one order share its key, hence a partition, hence an order: a cancel never precedes its create. */
describe('per-key ordering', () => {
  it('ends every order created-then-cancelled at once as CANCELLED', async () => {
    await ordersSettled();
    const before = await analyticsSummary();
    // One unit of a SKU only these orders carry: its quantity counts them, whatever else is counted meanwhile.
    const marker = `ORDERING-${Date.now()}`;
    const orders = Array.from({ length: 50 }, () => {
      const order = randomOrder();
      return { ...order, items: [...order.items, { sku: marker, quantity: 1, unitPrice: '1.00' }] };
    });
    const ids = await inParallel(orders, 50, async (order) => {
      const { orderId } = await submitOrder(order);
      const cancel = await postJson(`/orders/${orderId}/cancel`, {});
      expect(cancel.status).toBe(202);
      return orderId;
    });

    const statuses = await eventually(
      'all 50 views CANCELLED',
      () =>
        Promise.all(
          ids.map((id) =>
            getOrder(id).then(
              (v) => v.status,
              () => 'MISSING',
            ),
          ),
        ),
      (all) => all.every((s) => s === 'CANCELLED'),
    );
    expect(statuses).toEqual(ids.map(() => 'CANCELLED'));

    const after = await eventually(
      'analytics counting 50 cancellations',
      analyticsSummary,
      (s) => s.cancelledCount >= before.cancelledCount + 50,
    );
    expect(after.cancelledCount - before.cancelledCount).toBe(50);
    expect(after.quantityBySku[marker]).toBe(50);
  });
});

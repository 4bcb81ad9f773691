import { eventually } from './support/eventually';
import { getOrder, inParallel, postJson, randomOrder, submitOrder } from './support/orders';
import { analyticsSummary } from './support/services';

/** Events of one order share its key, hence a partition, hence an order: a cancel never precedes its create. */
describe('per-key ordering', () => {
  it('ends every order created-then-cancelled at once as CANCELLED', async () => {
    const before = await analyticsSummary();
    const ids = await inParallel(Array.from({ length: 50 }, randomOrder), 50, async (order) => {
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
    expect(after.orderCount - before.orderCount).toBe(50);
  });
});

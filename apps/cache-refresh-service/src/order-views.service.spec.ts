import { anOrderCancelled, anOrderCreated, ORDER_CANCELLED, ORDER_CREATED, type OrderEvent } from '@fanout/contracts';
import type { EventBatchItem } from '@fanout/messaging';
import type { OrderViewStore, ViewPatch } from '@fanout/order-view';
import { OrderViewsService } from './order-views.service';

describe('OrderViewsService', () => {
  it('writes each event as a patch of its order view, versioned by the offset the event first had', async () => {
    const applied: { patch: ViewPatch; version: number }[][] = [];
    const views = { applyAll: async (changes: { patch: ViewPatch; version: number }[]) => (applied.push(changes), changes.length - 1) };
    const service = new OrderViewsService(views as unknown as OrderViewStore);
    const created = anOrderCreated();
    const cancelled = anOrderCancelled({ orderId: created.orderId });
    const items: EventBatchItem<OrderEvent>[] = [
      { event: { type: ORDER_CREATED, id: 'e1', data: created }, origin: { topic: 'orders', partition: 2, offset: '41' } },
      { event: { type: ORDER_CANCELLED, id: 'e2', data: cancelled }, origin: { topic: 'orders', partition: 2, offset: '42' } },
    ];
    await expect(service.apply(items)).resolves.toEqual({ duplicates: 1 });
    expect(applied).toEqual([
      [
        { patch: { ...created, status: 'CREATED' }, version: 41 },
        { patch: { orderId: created.orderId, status: 'CANCELLED', cancelledAt: cancelled.cancelledAt }, version: 42 },
      ],
    ]);
  });
});

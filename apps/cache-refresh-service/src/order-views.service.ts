import { Injectable } from '@nestjs/common';
import type { OrderEvent } from '@fanout/contracts';
import type { EventBatchItem, HandlerOutcome } from '@fanout/messaging';
import { OrderViewStore, type ViewPatch } from '@fanout/order-view';
import { traceBulkWork } from '@fanout/tracing';

/**
 * Keeps each order's view in Redis. The record's offset is the view's version, so a redelivered or
 * older event never overwrites a newer view — which also makes a whole run of events safe to apply again.
 */
@Injectable()
export class OrderViewsService {
  constructor(private readonly views: OrderViewStore) {}

  async apply(items: EventBatchItem<OrderEvent>[]): Promise<HandlerOutcome> {
    const changes = items.map(({ event, origin }) => ({ patch: toPatch(event), version: Number(origin.offset) }));
    // One span for the pipeline, not one per script: at drain rates per-command spans cost more than the writes.
    const changed = await traceBulkWork('order-view apply', { 'fanout.view.changes': changes.length }, () => this.views.applyAll(changes));
    return { duplicates: items.length - changed }; // views already at this version or newer
  }
}

function toPatch(event: OrderEvent): ViewPatch {
  switch (event.type) {
    case 'dev.fanout.order.created.v1':
      return { ...event.data, status: 'CREATED' };
    case 'dev.fanout.order.cancelled.v1':
      return { orderId: event.data.orderId, status: 'CANCELLED', cancelledAt: event.data.cancelledAt };
  }
}

import { randomUUID } from 'node:crypto';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import {
  ORDER_CANCELLED,
  ORDER_CREATED,
  ORDERS_TOPIC,
  type OrderCancelled,
  type OrderCreated,
  type OrderEventMap,
} from '@fanout/contracts';
import type { EventPublisher } from '@fanout/messaging';
import { OrderLedger, OrderViewStore, type OrderView } from '@fanout/order-view';
import { currentTraceId } from '@fanout/tracing';
import type { CreateOrderDto } from './dto/create-order.dto';
import { orderTotal } from './order-total';
import { EVENT_PUBLISHER } from './tokens';

export interface Accepted {
  orderId: string;
  traceId: string;
}

@Injectable()
export class OrdersService {
  constructor(
    @Inject(EVENT_PUBLISHER) private readonly publisher: EventPublisher<OrderEventMap>,
    private readonly views: OrderViewStore,
    private readonly ledger: OrderLedger,
  ) {}

  /**
   * Publishes OrderCreated keyed by order id; resolves once Kafka acknowledged it. With an
   * idempotency key, a repeated request answers with the first request's order id and publishes nothing.
   */
  async create(order: CreateOrderDto, idempotencyKey?: string): Promise<Accepted> {
    const orderId = randomUUID();
    if (idempotencyKey) {
      const existing = await this.ledger.claimIdempotencyKey(idempotencyKey, orderId);
      if (existing) return { orderId: existing, traceId: currentTraceId() ?? '' };
      try {
        return await this.publishCreated(orderId, order);
      } catch (error) {
        await this.ledger.releaseIdempotencyKey(idempotencyKey, orderId);
        throw error;
      }
    }
    return this.publishCreated(orderId, order);
  }

  private async publishCreated(orderId: string, order: CreateOrderDto): Promise<Accepted> {
    const event: OrderCreated = {
      schemaVersion: 1,
      orderId,
      customerId: order.customerId,
      currency: order.currency,
      items: order.items.map(({ sku, quantity, unitPrice }) => ({ sku, quantity, unitPrice })),
      total: orderTotal(order.items),
      createdAt: new Date().toISOString(),
    };
    // Recorded first: a cancel right after the 202 must find the order even before the read model does.
    await this.ledger.recordAccepted(orderId);
    try {
      await this.publisher.publish({ topic: ORDERS_TOPIC, key: orderId, type: ORDER_CREATED, data: event });
    } catch (error) {
      await this.ledger.forgetAccepted(orderId).catch(() => undefined);
      throw error;
    }
    return { orderId, traceId: currentTraceId() ?? '' };
  }

  /**
   * Publishes OrderCancelled with the order's key, so it lands after the order on the same partition. Only
   * an order that exists (in the read model, or accepted here) can be cancelled, and only the first cancel
   * publishes: a repeated one answers the same and publishes nothing.
   */
  async cancel(orderId: string): Promise<Accepted> {
    const exists = (await this.views.get(orderId)) !== null || (await this.ledger.wasAccepted(orderId));
    if (!exists) throw new NotFoundException(`order ${orderId} does not exist`);
    const accepted = { orderId, traceId: currentTraceId() ?? '' };
    if (!(await this.ledger.claimCancel(orderId))) return accepted;
    const event: OrderCancelled = { schemaVersion: 1, orderId, cancelledAt: new Date().toISOString() };
    try {
      await this.publisher.publish({ topic: ORDERS_TOPIC, key: orderId, type: ORDER_CANCELLED, data: event });
    } catch (error) {
      await this.ledger.releaseCancel(orderId).catch(() => undefined);
      throw error;
    }
    return accepted;
  }

  async find(orderId: string): Promise<OrderView> {
    const view = await this.views.get(orderId);
    if (!view) throw new NotFoundException(`order ${orderId} is not (yet) in the read model`);
    return view;
  }
}

import { randomUUID } from 'node:crypto';
import { ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
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
import type { Principal } from '@fanout/service-kit';
import { currentTraceId } from '@fanout/tracing';
import type { CreateOrderDto } from './dto/create-order.dto';
import { orderTotal } from './order-total';
import { EVENT_PUBLISHER } from './tokens';

/** An order Kafka acknowledged whose view cache-refresh has not written yet. */
export interface PendingOrder {
  orderId: string;
  status: 'PENDING';
  customerId: string;
}

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
   * idempotency key, a repeated request of the same caller answers with the first request's order id
   * and publishes nothing (keys are the caller's own: another caller's same key is another order).
   */
  async create(order: CreateOrderDto, caller: Principal, idempotencyKey?: string): Promise<Accepted> {
    const customerId = customerFor(caller, order.customerId);
    const orderId = randomUUID();
    if (idempotencyKey) {
      const callerKey = `${caller.subject}:${idempotencyKey}`;
      const existing = await this.ledger.claimIdempotencyKey(callerKey, orderId);
      if (existing) return { orderId: existing, traceId: currentTraceId() ?? '' };
      try {
        return await this.publishCreated(orderId, customerId, order);
      } catch (error) {
        await this.ledger.releaseIdempotencyKey(callerKey, orderId);
        throw error;
      }
    }
    return this.publishCreated(orderId, customerId, order);
  }

  private async publishCreated(orderId: string, customerId: string, order: CreateOrderDto): Promise<Accepted> {
    const event: OrderCreated = {
      schemaVersion: 1,
      orderId,
      customerId,
      currency: order.currency,
      items: order.items.map(({ sku, quantity, unitPrice }) => ({ sku, quantity, unitPrice })),
      total: orderTotal(order.items),
      createdAt: new Date().toISOString(),
    };
    // Recorded first: a cancel right after the 202 must find the order even before the read model does.
    await this.ledger.recordAccepted(orderId, customerId);
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
   * an order that exists (in the read model, or accepted here) and that the caller may see can be
   * cancelled, and only the first cancel publishes: a repeated one answers the same and publishes nothing.
   */
  async cancel(orderId: string, caller: Principal): Promise<Accepted> {
    const view = await this.views.get(orderId);
    const customerId = view?.customerId ?? (await this.ledger.customerOf(orderId));
    if ((view === null && customerId === undefined) || !maySee(caller, customerId))
      throw new NotFoundException(`order ${orderId} does not exist`);
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

  /**
   * The order's view, or, for an order accepted here that the read model does not show yet, its status
   * PENDING; a customer sees only its own orders (another's is as unknown as a missing one).
   */
  async find(orderId: string, caller: Principal): Promise<OrderView | PendingOrder> {
    const view = await this.views.get(orderId);
    const found = view ?? (await this.pending(orderId));
    if (!found || !maySee(caller, found.customerId)) throw new NotFoundException(`order ${orderId} does not exist`);
    return found;
  }

  private async pending(orderId: string): Promise<PendingOrder | undefined> {
    const customerId = await this.ledger.customerOf(orderId);
    return customerId === undefined ? undefined : { orderId, status: 'PENDING', customerId };
  }
}

/**
 * Whose order this is: the token's customer for a customer's token (a body naming another is refused);
 * the body's for a client's token (a back office ordering for its customers).
 */
function customerFor(caller: Principal, requested: string): string {
  if (caller.customerId !== undefined && requested !== caller.customerId) {
    throw new ForbiddenException("a customer's token orders for its own customer only");
  }
  return caller.customerId ?? requested;
}

/** A client sees every order; a customer only those known to be its own. */
const maySee = (caller: Principal, customerId: string | undefined) => caller.customerId === undefined || caller.customerId === customerId;

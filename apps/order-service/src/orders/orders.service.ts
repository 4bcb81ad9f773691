import { createHash, randomUUID } from 'node:crypto';
import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import {
  ORDER_CANCELLED,
  ORDER_CREATED,
  ORDERS_TOPIC,
  type OrderCancelled,
  type OrderCreated,
  type OrderEventMap,
} from '@fanout/contracts';
import type { EventPublisher } from '@fanout/messaging';
import { OrderLedger, OrderViewStore, type KeyedOrder, type OrderView } from '@fanout/order-view';
import type { Principal } from '@fanout/service-kit';
import { currentTraceId } from '@fanout/tracing';
import type { CreateOrderDto } from './dto/create-order.dto';
import { orderEventId } from './event-ids';
import { orderTotal } from './order-total';
import { ABANDONED_PUBLISH_MS, EVENT_PUBLISHER } from './tokens';

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

const KEY_IN_USE = 'a request with this Idempotency-Key is still being published; retry later';

@Injectable()
export class OrdersService {
  constructor(
    @Inject(EVENT_PUBLISHER) private readonly publisher: EventPublisher<OrderEventMap>,
    private readonly views: OrderViewStore,
    private readonly ledger: OrderLedger,
    @Inject(ABANDONED_PUBLISH_MS) private readonly abandonedAfterMs: number,
  ) {}

  /**
   * Publishes OrderCreated keyed by order id; resolves once Kafka acknowledged it. With an idempotency
   * key (the caller's own: another caller's same key is another order), every request with the key gets
   * the first request's order id (409 if it sends another order):
   * - once a request saw the order acknowledged, later ones publish nothing;
   * - while one is publishing it, another gets 409 (retry later), never a 202 that Kafka may not back;
   * - after a failed publish (the record may have landed) or an abandoned one (its instance died), the
   *   next request publishes the same event again (same id, same createdAt), which every consumer applies once.
   */
  async create(order: CreateOrderDto, caller: Principal, idempotencyKey?: string): Promise<Accepted> {
    const content = orderContent(customerFor(caller, order.customerId), order);
    const identity = { orderId: randomUUID(), createdAt: new Date().toISOString() };
    if (!idempotencyKey) return this.publishCreated(identity, content);
    const callerKey = `${caller.subject}:${idempotencyKey}`;
    const request = digest(content);
    let claim = await this.ledger.claimIdempotencyKey(callerKey, { ...identity, request });
    if (claim.order.request !== request) throw new ConflictException('this Idempotency-Key was sent before with another order');
    if (claim.order.state === 'published') return acceptedAs(claim.order.orderId);
    if (!claim.won && this.stillPublishing(claim.order)) throw new ConflictException(KEY_IN_USE);
    if (!claim.won) claim = await this.ledger.takeOverIdempotencyKey(callerKey, claim.order);
    if (!claim.won) throw new ConflictException(KEY_IN_USE); // another request took it over first
    try {
      const accepted = await this.publishCreated(claim.order, content);
      await this.ledger.settleIdempotencyKey(callerKey, claim.order, 'published').catch(() => undefined); // left pending: republished later, harmless
      return accepted;
    } catch (error) {
      await this.ledger.settleIdempotencyKey(callerKey, claim.order, 'failed').catch(() => undefined);
      throw error;
    }
  }

  /** A pending publish younger than this may still be acknowledged; an older one was abandoned. */
  private stillPublishing(order: KeyedOrder): boolean {
    return order.state === 'pending' && Date.now() - order.since < this.abandonedAfterMs;
  }

  private async publishCreated({ orderId, createdAt }: { orderId: string; createdAt: string }, content: OrderContent): Promise<Accepted> {
    const event: OrderCreated = { schemaVersion: 1, orderId, ...content, createdAt };
    // Recorded first: a cancel right after the 202 must find the order even before the read model does.
    await this.ledger.recordAccepted(orderId, content.customerId);
    try {
      await this.publisher.publish({
        topic: ORDERS_TOPIC,
        key: orderId,
        type: ORDER_CREATED,
        data: event,
        id: orderEventId(orderId, ORDER_CREATED),
      });
    } catch (error) {
      await this.ledger.forgetAccepted(orderId).catch(() => undefined);
      throw error;
    }
    return acceptedAs(orderId);
  }

  /**
   * Publishes OrderCancelled with the order's key, so it lands after the order on the same partition. Only
   * an order that exists (in the read model, or accepted here) and that the caller may see can be
   * cancelled, and only the first cancel publishes: a repeated one answers the same and publishes nothing.
   * A cancel whose publish failed may be retried; its event has the same id, so it is applied once.
   */
  async cancel(orderId: string, caller: Principal): Promise<Accepted> {
    const view = await this.views.get(orderId);
    const customerId = view?.customerId ?? (await this.ledger.customerOf(orderId));
    if ((view === null && customerId === undefined) || !maySee(caller, customerId))
      throw new NotFoundException(`order ${orderId} does not exist`);
    const accepted = acceptedAs(orderId);
    if (!(await this.ledger.claimCancel(orderId))) return accepted;
    const event: OrderCancelled = { schemaVersion: 1, orderId, cancelledAt: new Date().toISOString() };
    try {
      await this.publisher.publish({
        topic: ORDERS_TOPIC,
        key: orderId,
        type: ORDER_CANCELLED,
        data: event,
        id: orderEventId(orderId, ORDER_CANCELLED),
      });
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

/** What an order is, apart from its id and time: what OrderCreated carries, and what makes two requests the same order. */
type OrderContent = Pick<OrderCreated, 'customerId' | 'currency' | 'items' | 'total'>;

function orderContent(customerId: string, order: CreateOrderDto): OrderContent {
  return {
    customerId,
    currency: order.currency,
    items: order.items.map(({ sku, quantity, unitPrice }) => ({ sku, quantity, unitPrice })),
    total: orderTotal(order.items),
  };
}

const digest = (content: OrderContent) => createHash('sha256').update(JSON.stringify(content)).digest('base64url');

const acceptedAs = (orderId: string): Accepted => ({ orderId, traceId: currentTraceId() ?? '' });

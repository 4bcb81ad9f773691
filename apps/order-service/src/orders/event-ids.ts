import { v5 as nameBasedUuid } from 'uuid';
import type { OrderEventType } from '@fanout/contracts';

/** The namespace of Fanout's order event ids (RFC 9562 name-based UUIDs): any fixed UUID, never to change. */
const ORDER_EVENTS = '6f0d3a52-9b1e-4c8e-a7d4-2f5b8e1c0a93';

/**
 * An order's event of one type has one id, derived from the order id: an event published again (a retry
 * after an ambiguous failure) is the same event, which every consumer applies once (notification's
 * delivery key is the event id; analytics and cache-refresh key on the order).
 */
export const orderEventId = (orderId: string, type: OrderEventType): string => nameBasedUuid(`${type}/${orderId}`, ORDER_EVENTS);

import { EventPattern } from '@nestjs/microservices';
import type { ConsumedEvent, EventMap } from '../events';
import type { RecordOrigin } from './consumed-record';

/** One event of a batch, with where it first appeared (its offset versions a read model, say). */
export interface EventBatchItem<Event = ConsumedEvent<EventMap>> {
  event: Event;
  origin: RecordOrigin;
}

/**
 * Marks a handler that takes a run of events at once: `(items: EventBatchItem<E>[]) => Promise<void>`,
 * from one partition or from several fetched together, each partition's events consecutive and in offset
 * order (so events of one key keep their order). It must be all-or-nothing (one
 * transaction, or idempotent writes): when it fails, the runtime hands the same records over again
 * one at a time, with the usual retries and dead letters, so one bad record never fails the rest.
 */
export const EventBatchPattern = (topic: string): MethodDecorator => EventPattern(topic, { batch: true });

/**
 * What a handler may return: how many of its events had already taken effect. The runtime counts
 * them (fanout_consumer_duplicates_total), so a drill can show the redeliveries dedup absorbed.
 */
export interface HandlerOutcome {
  duplicates: number;
}

export function isHandlerOutcome(value: unknown): value is HandlerOutcome {
  return typeof value === 'object' && value !== null && typeof (value as HandlerOutcome).duplicates === 'number';
}

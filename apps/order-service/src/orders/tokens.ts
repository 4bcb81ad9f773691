export const EVENT_PUBLISHER = Symbol('EVENT_PUBLISHER');

/** How long a keyed order's publish may stay pending before the next request with its key publishes it again. */
export const ABANDONED_PUBLISH_MS = Symbol('ABANDONED_PUBLISH_MS');

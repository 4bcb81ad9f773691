/**
 * Workarounds for bugs of kafkajs 2.2.4, its last release, applied by createKafka before any client exists.
 *
 * RequestQueue re-arms a timer after every check even when nothing is pending: with `throttledUntil`
 * at -1 the delay is negative, so each connection wakes ~1,000 times a second for nothing (and Node 24
 * warns TimeoutNegativeWarning). kafkajs#1556 / #1704; the fix is the one proposed in kafkajs PR #1667:
 * schedule a check only when requests wait, after the throttle (if any) ends.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- an internal module, not in the package's types
const RequestQueue = require('kafkajs/src/network/requestQueue') as { prototype: RequestQueueInternals };

interface RequestQueueInternals {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/** kafkajs's own interval for re-checking a queue that waits on in-flight requests. */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

function scheduleCheckPendingRequests(this: RequestQueueInternals): void {
  if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
  const untilUnthrottled = this.throttledUntil - Date.now();
  this.throttleCheckTimeoutId = setTimeout(
    () => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    },
    untilUnthrottled > 0 ? untilUnthrottled : CHECK_PENDING_REQUESTS_INTERVAL_MS,
  );
}

export function applyKafkajsFixes(): void {
  RequestQueue.prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
}

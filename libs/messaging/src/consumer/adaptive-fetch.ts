/**
 * Fetches that batch while records flow and add no latency after a quiet spell. kafkajs sends every
 * fetch with the consumer's one `minBytes`/`maxWaitTime`. A long poll (1 byte, seconds) is answered as
 * soon as one record lands, so at a few hundred records a second every fetch, batch, transaction and
 * commit carries one or two records; a short wait for more bytes batches them, but delays the first
 * record after a quiet spell and keeps an idle consumer polling.
 *
 * So a consumer configured to batch (`minBytes` > 1) gets both: on a connection whose last fetch came
 * back empty it long-polls for the first byte, answered at once when a record lands; while records keep
 * coming it waits for `minBytes` or `maxWaitTime`, whichever comes first.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- an internal module, not in the package's types
const Broker = require('kafkajs/src/broker') as { prototype: { fetch: Fetch } };

interface FetchRequest {
  minBytes?: number;
  maxWaitTime?: number;
}

interface FetchResponse {
  responses: { partitions: { messages: unknown[] }[] }[];
}

/** How long an idle consumer's fetch waits for its first record (kafkajs's own default). */
export const IDLE_POLL_MS = 5_000;

type Fetch = (this: object, request: FetchRequest) => Promise<FetchResponse>;

/** Wraps a broker connection's fetch: each connection remembers whether its last fetch found nothing. */
export function adaptiveFetch(original: Fetch): Fetch {
  const idle = new WeakSet<object>();
  return async function (this: object, request: FetchRequest): Promise<FetchResponse> {
    const longPoll = (request.minBytes ?? 1) > 1 && idle.has(this);
    const response = await original.call(
      this,
      longPoll ? { ...request, minBytes: 1, maxWaitTime: Math.max(IDLE_POLL_MS, request.maxWaitTime ?? 0) } : request,
    );
    const empty = response.responses.every((topic) => topic.partitions.every((p) => p.messages.length === 0));
    if (empty) idle.add(this);
    else idle.delete(this);
    return response;
  };
}

export function applyAdaptiveFetch(): void {
  Broker.prototype.fetch = adaptiveFetch(Broker.prototype.fetch);
}

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

/**
 * BrokerPool.withBroker tries each broker and swallows every error, returning null when all failed: a
 * consumer whose principal may not use its group then fails with "Failed to find group coordinator",
 * the broker's GROUP_AUTHORIZATION_FAILED lost. Same loop, but when the last broker tried refused for
 * authorization (ACLs are the cluster's: one broker's refusal speaks for all), that refusal is thrown as
 * itself (non-retriable), so the crash says what is wrong.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- an internal module, not in the package's types
const BrokerPool = require('kafkajs/src/cluster/brokerPool') as { prototype: BrokerPoolInternals };

interface BrokerPoolInternals {
  brokers: Record<string, unknown>;
  findBroker(args: { nodeId: string }): Promise<unknown>;
  withBroker<T>(callback: (args: { nodeId: string; broker: unknown }) => Promise<T>): Promise<T | null>;
}

const originalWithBroker = BrokerPool.prototype.withBroker;

async function withBroker<T>(
  this: BrokerPoolInternals,
  callback: (args: { nodeId: string; broker: unknown }) => Promise<T>,
): Promise<T | null> {
  let refusal: unknown;
  const result = await originalWithBroker.call<
    BrokerPoolInternals,
    [(args: { nodeId: string; broker: unknown }) => Promise<T>],
    Promise<T | null>
  >(this, async (args) => {
    try {
      return await callback(args);
    } catch (error) {
      refusal = /_AUTHORIZATION_FAILED$/.test(String((error as { type?: string }).type)) ? error : undefined;
      throw error;
    }
  });
  if (result === null && refusal) throw refusal;
  return result;
}

/**
 * The SCRAM authenticator wraps whatever interrupts the handshake in a KafkaJSSASLAuthenticationError,
 * which is non-retriable: a connection closed mid-handshake (a consumer restarting while the broker
 * answers, a broker still loading) then kills the consumer for good, as if its password were wrong.
 * Such a failure is thrown as the connection error it is (retriable); a refused login stays fatal.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- an internal module, not in the package's types
const SASLAuthenticator = require('kafkajs/src/broker/saslAuthenticator') as { prototype: { authenticate(): Promise<void> } };
// eslint-disable-next-line @typescript-eslint/no-require-imports -- kafkajs's error classes, matched by the fix
const { KafkaJSConnectionError, KafkaJSSASLAuthenticationError } = require('kafkajs/src/errors') as {
  KafkaJSConnectionError: new (message: string) => Error;
  KafkaJSSASLAuthenticationError: new (message: string) => Error;
};

/** kafkajs's own messages for a connection lost or never made (network/connection.js). */
const CONNECTION_LOST = /: (Closed connection|Connection timeout|Connection error|Not connected)\b/;

const originalAuthenticate = SASLAuthenticator.prototype.authenticate;

async function authenticate(this: unknown): Promise<void> {
  try {
    await originalAuthenticate.call(this);
  } catch (error) {
    if (error instanceof KafkaJSSASLAuthenticationError && CONNECTION_LOST.test(error.message))
      throw new KafkaJSConnectionError(error.message);
    throw error;
  }
}

export function applyKafkajsFixes(): void {
  RequestQueue.prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
  BrokerPool.prototype.withBroker = withBroker;
  SASLAuthenticator.prototype.authenticate = authenticate;
}

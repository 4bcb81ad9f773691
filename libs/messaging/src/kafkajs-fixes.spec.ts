import { applyKafkajsFixes } from './kafkajs-fixes';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- kafkajs's internal queue, the thing the fix changes
const RequestQueue = require('kafkajs/src/network/requestQueue') as new (options: object) => {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  push(request: { entry: { correlationId: number }; expectResponse: boolean; sendRequest: () => void }): void;
  destroy(): void;
};

applyKafkajsFixes();

const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const newQueue = () => new RequestQueue({ maxInFlightRequests: 1, requestTimeout: 1_000, clientId: 'spec', broker: 'b:1', logger });

describe('kafkajs RequestQueue with the timer-loop fix', () => {
  it('arms no timer when nothing is pending (kafkajs 2.2.4 re-armed one every millisecond)', () => {
    const queue = newQueue();
    queue.checkPendingRequests();
    expect(queue.throttleCheckTimeoutId).toBeNull();
    queue.destroy();
  });

  it('sends a request held back by a throttle when the throttle ends', () => {
    jest.useFakeTimers();
    try {
      const queue = newQueue();
      queue.throttledUntil = Date.now() + 500;
      const sendRequest = jest.fn();
      queue.push({ entry: { correlationId: 1 }, expectResponse: true, sendRequest });
      expect(queue.pending).toHaveLength(1);
      jest.advanceTimersByTime(499);
      expect(sendRequest).not.toHaveBeenCalled();
      jest.advanceTimersByTime(1);
      expect(sendRequest).toHaveBeenCalledTimes(1);
      queue.destroy();
    } finally {
      jest.useRealTimers();
    }
  });
});

// eslint-disable-next-line @typescript-eslint/no-require-imports -- kafkajs's SASL authenticator and errors, the things the fix changes
const SASLAuthenticator = require('kafkajs/src/broker/saslAuthenticator') as new (
  connection: object,
  logger: object,
  versions: object,
  supportAuthenticationProtocol: boolean,
) => { authenticate(): Promise<void> };
// eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
const errors = require('kafkajs/src/errors') as Record<string, new (message: string) => Error & { retriable: boolean }>;

/** An authenticator whose SCRAM exchange fails with `cause`, the way kafkajs's SCRAM provider reports it. */
function failingAuthenticator(cause: string) {
  const provider = () => ({
    authenticate: async () => {
      throw new errors.KafkaJSSASLAuthenticationError!(`SASL SCRAM SHA512 authentication failed: ${cause}`);
    },
  });
  const connection = {
    sasl: { mechanism: 'scram-sha-512', authenticationProvider: provider },
    host: 'b',
    port: 1,
    send: async () => ({ enabledMechanisms: ['SCRAM-SHA-512'] }), // the handshake, as a broker answers it
  };
  const namespaced = { ...logger, namespace: () => logger };
  return new SASLAuthenticator(connection, namespaced, { 17: { minVersion: 0, maxVersion: 1 } }, false);
}

describe('kafkajs SASL with the connection-loss fix', () => {
  it('throws a connection closed mid-handshake as a retriable connection error', async () => {
    await expect(failingAuthenticator('Closed connection').authenticate()).rejects.toMatchObject({
      name: 'KafkaJSConnectionError',
      retriable: true,
    });
  });

  it('keeps a refused login fatal', async () => {
    const refused = 'Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512';
    await expect(failingAuthenticator(refused).authenticate()).rejects.toMatchObject({
      name: 'KafkaJSSASLAuthenticationError',
      retriable: false,
    });
  });
});

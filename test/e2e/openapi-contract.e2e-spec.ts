import { backOffice, operator } from './support/auth';
import { instanceUrl } from './support/env';
import { eventually } from './support/eventually';
import { runSchemathesis } from './support/schemathesis';
import { notificationBreakers, setChannelFailing } from './support/services';

/** Each HTTP service with the token its routes need: the document must say exactly what the service does. */
const services = [
  ['order-service-1', backOffice],
  ['notification-service-1', operator],
  ['analytics-service-1', operator],
  ['cache-refresh-service-1', operator],
] as const;

describe('every OpenAPI document against its service (schemathesis --checks all)', () => {
  afterAll(async () => {
    // The notification run flips the channel's fault switch at random: leave it healed, the breakers closed.
    await setChannelFailing(false);
    await eventually('every notification breaker closed', notificationBreakers, (states) => states.every((s) => s === 'Closed'), {
      timeoutMs: 30_000,
    });
  });

  it.each(services)(
    '%s conforms to its document',
    async (instanceId, token) => {
      const run = await runSchemathesis({
        url: instanceUrl(instanceId),
        authorization: (await token()).authorization!,
        checks: 'all',
        maxExamples: 25,
        seed: 20_261_125,
      });
      expect(run.exchanges.length).toBeGreaterThan(0);
      if (run.exitCode !== 0) throw new Error(`schemathesis found problems (exit ${run.exitCode}):\n${run.summary}`);
    },
    180_000,
  );
});

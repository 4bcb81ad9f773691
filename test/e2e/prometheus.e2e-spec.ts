import { installPrometheus } from '@fanout/local-stack';
import { settings } from './support/env';
import { eventually } from './support/eventually';

const prometheus = `http://127.0.0.1:${settings.prometheusPort}`;
// The stack started it if Debian's package could be had (already unpacked by then: this looks in the cache).
const available = installPrometheus(settings) !== undefined;

interface UpResult {
  data: { result: { metric: { job: string; instance: string }; value: [number, string] }[] };
}

/** The native Prometheus (Debian's package) scrapes every instance: where the machine could have it. */
(available ? describe : describe.skip)(`native Prometheus${available ? '' : " (skipped: Debian's package cannot be had here)"}`, () => {
  it('scrapes every service instance and the console, each target up', async () => {
    const expected = settings.consumerInstances * 3 + 2;
    const up = await eventually(
      `${expected} scrape targets up`,
      async () => ((await (await fetch(`${prometheus}/api/v1/query?query=up`)).json()) as UpResult).data.result,
      (result) => result.length === expected && result.every((r) => r.value[1] === '1'),
      { timeoutMs: 30_000, intervalMs: 1_000 },
    );
    expect([...new Set(up.map((r) => r.metric.job))].sort()).toEqual([
      'analytics-service',
      'cache-refresh-service',
      'console',
      'notification-service',
      'order-service',
    ]);
  });
});

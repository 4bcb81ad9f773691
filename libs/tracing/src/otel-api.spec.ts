import { dirname, join } from 'node:path';

const REPO = join(__dirname, '..', '..', '..');

/**
 * Every package must load the same @opentelemetry/api. A second copy of a newer minor refuses the
 * global tracer the SDK registered with the older one (its compatibility check), so the code that
 * loads it creates no spans at all: an `npm install` that nested 1.10 under libs/tracing once cut
 * every trace at the controller. `npm dedupe` fixes it; this spec catches it.
 */
describe('@opentelemetry/api', () => {
  it('resolves to one copy from every workspace and from the SDK', () => {
    const from = (dir: string) => require.resolve('@opentelemetry/api', { paths: [dir] });
    const sdk = dirname(require.resolve('@opentelemetry/sdk-trace-node/package.json', { paths: [join(REPO, 'libs', 'tracing')] }));
    const dirs = ['libs/tracing', 'libs/messaging', 'libs/service-kit', 'apps/order-service', 'apps/analytics-service'].map((d) =>
      join(REPO, d),
    );
    const copies = new Set([...dirs, sdk].map(from));
    expect([...copies]).toHaveLength(1);
  });
});

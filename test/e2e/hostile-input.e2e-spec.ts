import { hostileInputRun } from './support/hostile-input';

/** A smaller hostile-input run than the fault suite's 10,000 requests: the same checks. */
describe('hostile input against order-service', () => {
  it('answers 1,000 generated requests without a 5xx, publishes only what it accepted, and still serves', async () => {
    const run = await hostileInputRun(1_000, 20_261_125);
    expect(run.requests).toBeGreaterThanOrEqual(1_000);
    expect(run.serverErrors).toEqual([]);
    expect(run.publishedWithoutAcceptance).toEqual([]);
    expect(run.publishedInvalid).toEqual([]);
    expect(run.acceptedWithoutPublish).toEqual([]);
    expect(run.publishedOrders).toBeGreaterThan(0);
    expect(run.stillServing).toBe(true);
  }, 300_000);
});

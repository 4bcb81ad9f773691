import { CONSUMER_GROUPS, ORDERS_TOPIC } from '@fanout/contracts';
import { describeGroupWithKafkaTool, kafkaToolsInstalled, type GroupPartition } from './support/consumer-groups';
import { settings } from './support/env';
import { eventually } from './support/eventually';
import { inParallel, randomOrder, submitOrder } from './support/orders';

/** Kafka's own kafka-consumer-groups tool, not our code, judges whether every group keeps up and commits. */
describe("Kafka's consumer-group tool", () => {
  beforeAll(async () => {
    await kafkaToolsInstalled();
    await inParallel(Array.from({ length: 60 }, randomOrder), 10, submitOrder);
  }, 600_000);

  it.each(Object.values(CONSUMER_GROUPS))(
    'shows group %s with a member on every partition and no lag',
    async (group) => {
      const orders = await eventually(
        `group ${group} caught up on ${ORDERS_TOPIC} by its committed offsets`,
        async () => (await describeGroupWithKafkaTool(group)).filter((p) => p.topic === ORDERS_TOPIC),
        (rows) => rows.length === settings.partitions && rows.every((p) => p.lag === 0 && p.consumerId !== undefined),
        { timeoutMs: 60_000, intervalMs: 1_000 },
      );
      expect(orders.map((p: GroupPartition) => p.partition).sort((a, b) => a - b)).toEqual(
        Array.from({ length: settings.partitions }, (_, p) => p),
      );
      expect(orders.reduce((sum, p) => sum + p.logEndOffset, 0)).toBeGreaterThanOrEqual(60);
      expect(new Set(orders.map((p) => p.consumerId)).size).toBe(settings.consumerInstances);
    },
    120_000,
  );
});

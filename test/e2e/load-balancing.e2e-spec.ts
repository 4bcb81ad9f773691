import { CONSUMER_GROUPS, ORDERS_TOPIC } from '@fanout/contracts';
import { describeGroupAssignments } from '@fanout/messaging';
import { instances, settings, testKafka } from './support/env';
import { eventually } from './support/eventually';
import { inParallel, randomOrder, submitOrder } from './support/orders';
import { processedByInstance } from './support/services';

/** Worker-pool fan-out: the instances of one group share the partitions, and all of them work. */
describe('instances of a group share the partitions', () => {
  const consumers = instances.filter((i) => i.service !== 'order-service');

  it('gives every instance of every group a share of the records', async () => {
    await inParallel(Array.from({ length: 120 }, randomOrder), 20, submitOrder);
    for (const instance of consumers) {
      await eventually(
        `${instance.instanceId} processing records`,
        () => processedByInstance(instance.instanceId),
        (n) => n > 0,
      );
    }
  });

  it('has Kafka assign all partitions of orders across each group, none to two members', async () => {
    const assignments = await eventually(
      'stable groups with every member assigned',
      () => describeGroupAssignments(testKafka(), Object.values(CONSUMER_GROUPS)),
      (groups) => groups.every((g) => g.state === 'Stable' && g.members.length === settings.consumerInstances),
    );
    for (const group of assignments) {
      const partitions = group.members.flatMap((m) => m.partitions[ORDERS_TOPIC] ?? []);
      expect({ group: group.groupId, partitions: partitions.sort((a, b) => a - b) }).toEqual({
        group: group.groupId,
        partitions: Array.from({ length: settings.partitions }, (_, p) => p),
      });
      for (const member of group.members) expect(member.partitions[ORDERS_TOPIC]?.length ?? 0).toBeGreaterThan(0);
    }
  });
});

import { CONSUMER_GROUPS, ORDERS_TOPIC } from '@fanout/contracts';
import { describeGroupAssignments } from '@fanout/messaging';
import { instances, settings, testKafka } from './support/env';
import { eventually } from './support/eventually';
import { inParallel, randomOrder, submitOrder } from './support/orders';
import { processedByInstance } from './support/services';

/** Worker-pool fan-out: the instances of one group share the partitions, and all of them work. */
describe('instances of a group share the partitions', () => {
  const consumers = instances.filter((i) => i.service !== 'order-service');

  it('splits a burst of orders among the instances of each group: every instance takes a share of it', async () => {
    const processed = () => Promise.all(consumers.map(async (i) => [i.instanceId, await processedByInstance(i.instanceId)] as const));
    const before = new Map(await processed());
    const orders = 120;
    await inParallel(Array.from({ length: orders }, randomOrder), 20, submitOrder);
    const groups = [...new Set(consumers.map((i) => i.service))];
    const delta = await eventually(
      `${orders} new records processed by each group`,
      async () => new Map((await processed()).map(([id, n]) => [id, n - before.get(id)!])),
      (d) =>
        groups.every(
          (service) => consumers.filter((i) => i.service === service).reduce((sum, i) => sum + d.get(i.instanceId)!, 0) >= orders,
        ),
    );
    for (const service of groups) {
      const members = consumers.filter((i) => i.service === service);
      // At least: records of earlier specs (retries) may still arrive; exactly-once is the fault drills' to prove.
      expect(members.reduce((sum, i) => sum + delta.get(i.instanceId)!, 0)).toBeGreaterThanOrEqual(orders);
      for (const member of members)
        expect({ member: member.instanceId, share: delta.get(member.instanceId)! > 0 }).toEqual({ member: member.instanceId, share: true });
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

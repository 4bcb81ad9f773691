import { randomUUID } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import { Registry } from 'prom-client';
import { CONSUMER_GROUPS, ORDERS_TOPIC } from '@fanout/contracts';
import { ConsumerMetrics, ensureTopics, LagMonitor } from '@fanout/messaging';
import { describeGroupWithKafkaTool, kafkaToolsInstalled } from './support/consumer-groups';
import { instances, instanceUrl, settings, testKafka } from './support/env';
import { backOffice } from './support/auth';
import { eventually } from './support/eventually';
import { inParallel, randomOrder, submitOrder } from './support/orders';
import { metricSeries } from './support/services';

/** Lag as the consumer services report it must be what Kafka's own kafka-consumer-groups tool says. */
describe('consumer lag and assignment on /metrics', () => {
  beforeAll(async () => {
    await kafkaToolsInstalled();
    await inParallel(Array.from({ length: 30 }, randomOrder), 10, submitOrder);
  }, 600_000);

  it('computes a known backlog exactly as kafka-consumer-groups does', async () => {
    const kafka = testKafka();
    const topic = `e2e-lag-${randomUUID().slice(0, 8)}`;
    const groupId = `e2e-lag-${randomUUID().slice(0, 8)}`;
    await ensureTopics(kafka, [{ topic, numPartitions: 3, replicationFactor: 1 }]);
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    for (const partition of [0, 1, 2]) {
      await producer.send({ topic, messages: Array.from({ length: 10 }, (_, i) => ({ partition, value: `r${i}` })) });
    }
    await producer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    // A group that read partition 0 to its end, 4 records of partition 1 and nothing of partition 2.
    await admin.setOffsets({
      groupId,
      topic,
      partitions: [
        { partition: 0, offset: '10' },
        { partition: 1, offset: '4' },
        { partition: 2, offset: '0' },
      ],
    });
    await admin.disconnect();

    const registry = new Registry();
    const monitor = new LagMonitor(kafka, new ConsumerMetrics(groupId, 'e2e', registry), {
      groupId,
      topics: [topic],
      deadLetters: { topic, replayGroupId: `${groupId}-replay` },
      intervalMs: 60_000,
    });
    await monitor.poll();
    await monitor.stop();
    const gauge = (await registry.getSingleMetric('fanout_consumer_lag')!.get()).values;
    const reported = gauge.map((v) => [Number(v.labels.partition), v.value]).sort();
    const tool = (await describeGroupWithKafkaTool(groupId)).map((p) => [p.partition, p.lag]).sort();
    expect(reported).toEqual([
      [0, 0],
      [1, 6],
      [2, 10],
    ]);
    expect(reported).toEqual(tool);
  }, 120_000);

  it.each(Object.values(CONSUMER_GROUPS))(
    'group %s: every partition owned by the instance Kafka names, and the same lag as Kafka',
    async (group) => {
      const members = instances.filter((i) => i.service !== 'order-service' && i.service.startsWith(group)).map((i) => i.instanceId);
      const snapshot = async () => {
        const tool = (await describeGroupWithKafkaTool(group)).filter((p) => p.topic === ORDERS_TOPIC);
        const exported = (await Promise.all(members.map((id) => metricSeries(id, 'fanout_consumer_assigned')))).flat();
        const lag = await metricSeries(members[0]!, 'fanout_consumer_lag');
        return { tool, exported, lag };
      };
      const { tool, exported, lag } = await eventually(
        `group ${group} caught up, with /metrics and Kafka agreeing`,
        snapshot,
        ({ tool: t, lag: l }) =>
          t.length === settings.partitions &&
          t.every((p) => p.lag === 0) &&
          l.filter((s) => s.labels.topic === ORDERS_TOPIC).length === settings.partitions &&
          l.every((s) => s.value === 0),
        { timeoutMs: 60_000, intervalMs: 1_000 },
      );
      const ownerByMetrics = new Map(
        exported
          .filter((s) => s.labels.topic === ORDERS_TOPIC && s.value === 1)
          .map((s) => [Number(s.labels.partition), s.labels.service_instance_id]),
      );
      for (const p of tool)
        expect({ partition: p.partition, owner: ownerByMetrics.get(p.partition) }).toEqual({ partition: p.partition, owner: p.clientId });
      expect(lag.filter((s) => s.labels.topic === ORDERS_TOPIC).map((s) => s.labels.group)).toEqual(Array(settings.partitions).fill(group));
    },
    120_000,
  );

  it('reports HTTP requests and messages by the OpenTelemetry conventions', async () => {
    const before = await metricSeries('order-service-1', 'http_server_request_duration_seconds_count');
    await submitOrder(randomOrder());
    await fetch(`${instanceUrl('order-service-1')}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await backOffice()) },
      body: '{}',
    });
    const count = (rows: { labels: Record<string, string>; value: number }[], status: string) =>
      rows.find(
        (r) =>
          r.labels.http_route === '/orders' && r.labels.http_request_method === 'POST' && r.labels.http_response_status_code === status,
      )?.value ?? 0;
    const after = await metricSeries('order-service-1', 'http_server_request_duration_seconds_count');
    expect(count(after, '202') - count(before, '202')).toBe(1);
    expect(count(after, '400') - count(before, '400')).toBe(1);

    const sent = await metricSeries('order-service-1', 'messaging_client_sent_messages_total');
    expect(sent.find((s) => s.labels.messaging_destination_name === ORDERS_TOPIC && s.labels.error_type === '')?.value).toBeGreaterThan(0);
    for (const group of Object.values(CONSUMER_GROUPS)) {
      const member = instances.find((i) => i.service.startsWith(group))!.instanceId;
      const consumed = await metricSeries(member, 'messaging_client_consumed_messages_total');
      expect(consumed.some((s) => s.labels.messaging_consumer_group_name === group && s.value > 0)).toBe(true);
      const processed = await metricSeries(member, 'messaging_process_duration_seconds_count');
      expect(processed.some((s) => s.labels.messaging_consumer_group_name === group && s.value > 0)).toBe(true);
      expect((await metricSeries(member, 'fanout_dead_letters_pending')).map((s) => s.labels.group)).toEqual([group]);
    }
  });
});

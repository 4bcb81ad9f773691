import { instances, instanceUrl } from './support/env';

interface ReadyBody {
  status: string;
  info: Record<string, { status: string; detail?: string }>;
}

/** The probes orchestrators use: liveness asks nothing of anyone else; readiness names each dependency. */
describe('health probes', () => {
  it.each(instances.map((i) => i.instanceId))('%s is live and ready, each dependency and its consumer up', async (instanceId) => {
    const live = await fetch(`${instanceUrl(instanceId)}/health/live`);
    expect({ status: live.status, body: await live.json() }).toEqual({ status: 200, body: { status: 'ok' } });
    const ready = await fetch(`${instanceUrl(instanceId)}/health/ready`);
    const body = (await ready.json()) as ReadyBody;
    expect({ status: ready.status, overall: body.status }).toEqual({ status: 200, overall: 'ok' });
    const expected = instanceId.startsWith('order-service')
      ? ['redis']
      : instanceId.startsWith('cache-refresh')
        ? ['redis', 'kafka-consumer']
        : ['postgres', 'kafka-consumer'];
    expect(Object.keys(body.info).sort()).toEqual(expected.sort());
    if (body.info['kafka-consumer']) expect(body.info['kafka-consumer'].detail).toMatch(/^joined, [1-9]\d* partition\(s\)$/);
  });
});

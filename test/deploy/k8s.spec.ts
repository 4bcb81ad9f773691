import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { allTopics, CONSUMER_GROUPS, ORDERS_TOPIC } from '@fanout/contracts';
import { KAFKA_VERSION, kustomizeBinary, run, serviceEnv, serviceLayout, settingsFromEnv } from '@fanout/local-stack';

interface Resource {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- rendered manifests are checked field by field
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

const GROUP_OF_SERVICE: Record<string, string> = {
  'notification-service': CONSUMER_GROUPS.notification,
  'analytics-service': CONSUMER_GROUPS.analytics,
  'cache-refresh-service': CONSUMER_GROUPS.cacheRefresh,
};

/** deploy/k8s rendered by kustomize, and the invariants a cluster relies on. */
describe('Kubernetes manifests (kustomize build deploy/k8s/overlays/local)', () => {
  let resources: Resource[];
  const find = (kind: string, name: string) => resources.find((r) => r.kind === kind && r.metadata.name === name);
  const native = settingsFromEnv();

  beforeAll(() => {
    const rendered = run(kustomizeBinary(), ['build', join(__dirname, '..', '..', 'deploy', 'k8s', 'overlays', 'local')]);
    resources = parseAllDocuments(rendered).map((d) => d.toJS() as Resource);
  }, 300_000);

  it('puts everything in the fanout namespace', () => {
    expect(resources.filter((r) => r.kind !== 'Namespace').every((r) => r.metadata.namespace === 'fanout')).toBe(true);
  });

  it.each(Object.keys(GROUP_OF_SERVICE))('%s has probes on /health, requests and limits, and the service env', (name) => {
    const deployment = find('Deployment', name);
    expect(deployment).toBeDefined();
    const [container] = deployment!.spec.template.spec.containers;
    expect(container.readinessProbe.httpGet.path).toBe('/health');
    expect(container.livenessProbe.httpGet.path).toBe('/health');
    expect(container.resources.limits.memory).toBeDefined();
    expect(container.resources.requests.cpu).toBeDefined();
    const env = Object.fromEntries(container.env.map((e: { name: string; value?: string }) => [e.name, e.value]));
    const nativePort = serviceLayout(native).find((i) => i.service === name)!.port;
    expect(env).toMatchObject({ PORT: String(nativePort), OTEL_SERVICE_NAME: name });
    expect(env).toHaveProperty('SERVICE_INSTANCE_ID');
  });

  it.each(Object.entries(GROUP_OF_SERVICE))('%s scales with KEDA on the lag of group "%s", at most one replica per partition', (name, group) => {
    const scaled = find('ScaledObject', name);
    expect(scaled?.spec.scaleTargetRef.name).toBe(name);
    const [trigger] = scaled!.spec.triggers;
    expect(trigger.type).toBe('kafka');
    expect(trigger.metadata).toMatchObject({ consumerGroup: group, topic: ORDERS_TOPIC });
    const partitions = find('KafkaTopic', ORDERS_TOPIC)!.spec.partitions as number;
    expect(scaled!.spec.maxReplicaCount).toBeLessThanOrEqual(partitions);
    expect(scaled!.spec.minReplicaCount).toBeGreaterThanOrEqual(1);
  });

  it('declares every topic the services use', () => {
    const declared = resources.filter((r) => r.kind === 'KafkaTopic').map((r) => r.metadata.name);
    expect(declared.sort()).toEqual(allTopics().sort());
  });

  it('runs the same Kafka version and topic layout as the native stack', () => {
    expect(find('Kafka', 'fanout')!.spec.kafka.version).toBe(KAFKA_VERSION);
    expect(find('Kafka', 'fanout')!.spec.kafka.config['min.insync.replicas']).toBe(2);
    expect(find('KafkaTopic', ORDERS_TOPIC)!.spec).toMatchObject({ partitions: native.partitions, replicas: 3 });
  });

  it('configures services only with environment variable names the services read natively', () => {
    const nativeNames = Object.keys(serviceEnv(native, { kafkaBrokers: '', redisUrl: '', databaseUrl: '', otlpEndpoint: '' }, serviceLayout(native)[0]!));
    const configured = [...Object.keys(find('ConfigMap', 'fanout-env')!.data ?? {}), 'DATABASE_URL'];
    expect(nativeNames).toEqual(expect.arrayContaining(configured));
  });
});

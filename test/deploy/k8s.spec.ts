import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { allTopics, CONSUMER_GROUPS, ORDERS_TOPIC } from '@fanout/contracts';
import { KAFKA_VERSION, kustomizeBinary, run, serviceEnv, serviceLayout, settingsFromEnv, STRIMZI_VERSION, strimziCrds } from '@fanout/local-stack';
import { consumerEnv } from '@fanout/service-kit';

interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- rendered manifests are checked field by field
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

const GROUP_OF_SERVICE: Record<string, string> = {
  'notification-service': CONSUMER_GROUPS.notification,
  'analytics-service': CONSUMER_GROUPS.analytics,
  'cache-refresh-service': CONSUMER_GROUPS.cacheRefresh,
};
const SERVICES = ['order-service', ...Object.keys(GROUP_OF_SERVICE)];

/** The longest a service takes to stop once SIGTERM arrives: its consumer's shutdown bound. */
const SHUTDOWN_SECONDS = consumerEnv.shape.CONSUMER_SHUTDOWN_TIMEOUT_MS.parse(undefined) / 1000;

const isStrimzi = (r: Resource): boolean => r.apiVersion.split('/')[0]!.endsWith('strimzi.io');

/**
 * Closes every object schema that does not preserve unknown fields. kubectl's default (strict) field
 * validation rejects unknown fields, and without it the API server drops them silently: a misspelt field
 * must fail here as it would there, which plain JSON Schema would let through.
 */
function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (schema === null || typeof schema !== 'object') return schema;
  const node: Record<string, unknown> = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, closeObjects(value)]));
  const open = node['x-kubernetes-preserve-unknown-fields'] === true || 'additionalProperties' in node;
  return node.type === 'object' && node.properties !== undefined && !open ? { ...node, additionalProperties: false } : node;
}

/**
 * One validator per kind and served API version of the operator's CRDs, keyed "apiVersion kind".
 * `strict: false` lets ajv skip the `x-kubernetes-*` keywords, which are not JSON Schema; the CEL rules
 * among them (x-kubernetes-validations) are left to the API server.
 */
function strimziValidators(): Map<string, ValidateFunction> {
  const ajv = new Ajv({ strict: false, allErrors: true });
  const validators = new Map<string, ValidateFunction>();
  for (const crd of Object.values(strimziCrds())) {
    for (const version of crd.spec.versions.filter((v) => v.served)) {
      validators.set(`${crd.spec.group}/${version.name} ${crd.spec.names.kind}`, ajv.compile(closeObjects(version.schema.openAPIV3Schema) as object));
    }
  }
  return validators;
}

/** A changed copy of a rendered resource. */
function edited(resource: Resource, change: (copy: Resource) => void): Resource {
  const copy = structuredClone(resource);
  change(copy);
  return copy;
}

/** deploy/k8s rendered by kustomize, and the invariants a cluster relies on. */
describe('Kubernetes manifests (kustomize build deploy/k8s/overlays/local)', () => {
  let resources: Resource[];
  let validators: Map<string, ValidateFunction>;
  const find = (kind: string, name: string) => resources.find((r) => r.kind === kind && r.metadata.name === name);
  const native = settingsFromEnv();

  /** What the operator's schema says is wrong with a Strimzi resource; empty when it is valid. */
  const schemaProblems = (r: Resource): string[] => {
    const where = `${r.kind} ${r.metadata.name}`;
    const validate = validators.get(`${r.apiVersion} ${r.kind}`);
    if (!validate) return [`${where}: Strimzi ${STRIMZI_VERSION} serves no ${r.kind} in ${r.apiVersion}`];
    if (validate(r)) return [];
    return (validate.errors ?? []).map((e) => `${where}: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
  };

  beforeAll(() => {
    const rendered = run(kustomizeBinary(), ['build', join(__dirname, '..', '..', 'deploy', 'k8s', 'overlays', 'local')]);
    resources = parseAllDocuments(rendered).map((d) => d.toJS() as Resource);
    validators = strimziValidators();
  }, 300_000);

  it('puts everything in the fanout namespace', () => {
    expect(resources.filter((r) => r.kind !== 'Namespace').every((r) => r.metadata.namespace === 'fanout')).toBe(true);
  });

  it.each(SERVICES)('%s probes /health/live (startup, liveness) and /health/ready, pauses before SIGTERM, has requests, limits and the service env', (name) => {
    const deployment = find('Deployment', name);
    expect(deployment).toBeDefined();
    const pod = deployment!.spec.template.spec;
    const [container] = pod.containers;
    expect(container.startupProbe.httpGet).toMatchObject({ path: '/health/live', port: 'http' });
    expect(container.livenessProbe.httpGet).toMatchObject({ path: '/health/live', port: 'http' });
    expect(container.readinessProbe.httpGet).toMatchObject({ path: '/health/ready', port: 'http' });
    const pause = container.lifecycle.preStop.sleep.seconds as number;
    expect(pause).toBeGreaterThanOrEqual(1);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(pause + SHUTDOWN_SECONDS);
    expect(container.resources.limits.memory).toBeDefined();
    expect(container.resources.requests.cpu).toBeDefined();
    const env = Object.fromEntries(container.env.map((e: { name: string; value?: string }) => [e.name, e.value]));
    const nativePort = serviceLayout(native).find((i) => i.service === name)!.port;
    expect(env).toMatchObject({ PORT: String(nativePort), OTEL_SERVICE_NAME: name });
    expect(env).toHaveProperty('SERVICE_INSTANCE_ID');
  });

  it.each(SERVICES)('%s has a PodDisruptionBudget of one pod that selects its pods and no others', (name) => {
    const budget = find('PodDisruptionBudget', name);
    expect(budget).toBeDefined();
    expect(budget!.spec.maxUnavailable ?? budget!.spec.minAvailable).toBe(1);
    expect(budget!.spec.selector.matchExpressions).toBeUndefined();
    const selects = (labels: Record<string, string> = {}) => Object.entries(budget!.spec.selector.matchLabels as Record<string, string>).every(([k, v]) => labels[k] === v);
    const workloads = resources.filter((r) => r.kind === 'Deployment' || r.kind === 'StatefulSet');
    expect(workloads.filter((w) => selects(w.spec.template.metadata.labels)).map((w) => w.metadata.name)).toEqual([name]);
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

  it('runs 3 combined KRaft nodes from one node pool, and Kafka Exporter for lag', () => {
    const pools = resources.filter((r) => r.kind === 'KafkaNodePool');
    expect(pools).toHaveLength(1);
    expect(pools[0]!.metadata.labels).toMatchObject({ 'strimzi.io/cluster': 'fanout' });
    expect(pools[0]!.spec.replicas).toBe(3);
    expect([...pools[0]!.spec.roles].sort()).toEqual(['broker', 'controller']);
    expect(find('Kafka', 'fanout')!.spec.kafkaExporter).toBeDefined();
  });

  it('puts every Strimzi resource on kafka.strimzi.io/v1', () => {
    const strimzi = resources.filter(isStrimzi);
    expect(new Set(strimzi.map((r) => r.kind))).toEqual(new Set(['Kafka', 'KafkaNodePool', 'KafkaTopic']));
    expect(strimzi.filter((r) => r.apiVersion !== 'kafka.strimzi.io/v1').map((r) => `${r.kind} ${r.metadata.name}`)).toEqual([]);
  });

  it(`keeps every Strimzi resource valid against the CRD schemas of Strimzi ${STRIMZI_VERSION}`, () => {
    expect(resources.filter(isStrimzi).flatMap(schemaProblems)).toEqual([]);
  });

  // The check above is only worth something if it can fail: each of these breaks one resource.
  it.each<[string, () => Resource]>([
    ['a topic whose partition count is a string', () => edited(find('KafkaTopic', ORDERS_TOPIC)!, (t) => void (t.spec.partitions = 'six'))],
    ['a misspelt Kafka field', () => edited(find('Kafka', 'fanout')!, (k) => void (k.spec.kafkaExportr = {}))],
    ['a listener of an unknown type', () => edited(find('Kafka', 'fanout')!, (k) => void (k.spec.kafka.listeners[0].type = 'plaintext'))],
    ['a node pool without roles', () => edited(find('KafkaNodePool', 'combined')!, (p) => void delete p.spec.roles)],
    ['a Kafka on the removed v1beta2 API', () => edited(find('Kafka', 'fanout')!, (k) => void (k.apiVersion = 'kafka.strimzi.io/v1beta2'))],
  ])('the schema check rejects %s', (_, broken) => {
    expect(schemaProblems(broken())).not.toEqual([]);
  });

  it('configures services only with environment variable names the services read natively', () => {
    const nativeNames = Object.keys(serviceEnv(native, { kafkaBrokers: '', redisUrl: '', databaseUrl: '', otlpEndpoint: '' }, serviceLayout(native)[0]!));
    const configured = [...Object.keys(find('ConfigMap', 'fanout-env')!.data ?? {}), 'DATABASE_URL'];
    expect(nativeNames).toEqual(expect.arrayContaining(configured));
  });
});

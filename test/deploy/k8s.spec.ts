import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { parse, parseAllDocuments } from 'yaml';
import { CONSUMER_GROUP_IDS, CONSUMER_GROUPS, ORDERS_TOPIC } from '@fanout/contracts';
import { topicsWithGroups } from '@fanout/messaging';
import {
  KAFKA_VERSION,
  kafkaGrants,
  POSTGRES_ROLES,
  kustomizeBinary,
  run,
  serviceEnv,
  serviceLayout,
  settingsFromEnv,
  stackSecretNames,
  STRIMZI_VERSION,
  strimziCrds,
} from '@fanout/local-stack';
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
      validators.set(
        `${crd.spec.group}/${version.name} ${crd.spec.names.kind}`,
        ajv.compile(closeObjects(version.schema.openAPIV3Schema) as object),
      );
    }
  }
  return validators;
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Whether a Kubernetes label selector selects these labels (matchLabels and every matchExpression). */
function selects(selector: LabelSelector, labels: Record<string, string> = {}): boolean {
  const matched = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  return (
    matched &&
    (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
      if (operator === 'In') return key in labels && values.includes(labels[key]!);
      if (operator === 'NotIn') return !(key in labels) || !values.includes(labels[key]!);
      if (operator === 'Exists') return key in labels;
      if (operator === 'DoesNotExist') return !(key in labels);
      throw new Error(`unknown selector operator ${operator}`);
    })
  );
}

/**
 * PodMonitor fields (monitoring.coreos.com/v1) these manifests may use. The Prometheus Operator's CRD is not
 * generated here as Strimzi's is, so a shape check stands in for its schema: a misspelt field fails.
 */
const POD_MONITOR_FIELDS = {
  spec: [
    'jobLabel',
    'podTargetLabels',
    'podMetricsEndpoints',
    'selector',
    'namespaceSelector',
    'sampleLimit',
    'targetLimit',
    'attachMetadata',
    'scrapeClass',
  ],
  endpoint: [
    'port',
    'portNumber',
    'path',
    'scheme',
    'params',
    'interval',
    'scrapeTimeout',
    'honorLabels',
    'honorTimestamps',
    'relabelings',
    'metricRelabelings',
  ],
  selector: ['matchLabels', 'matchExpressions'],
};

/** What is wrong with the shape of a PodMonitor; empty when it looks right. */
function podMonitorProblems(r: Resource): string[] {
  const where = `PodMonitor ${r.metadata.name}`;
  const extra = (what: keyof typeof POD_MONITOR_FIELDS, value: object | undefined) =>
    Object.keys(value ?? {})
      .filter((k) => !POD_MONITOR_FIELDS[what].includes(k))
      .map((k) => `${where}: unknown ${what} field ${k}`);
  const endpoints = (r.spec?.podMetricsEndpoints ?? []) as object[];
  return [
    ...(r.apiVersion === 'monitoring.coreos.com/v1' ? [] : [`${where}: apiVersion ${r.apiVersion}`]),
    ...extra('spec', r.spec),
    ...extra('selector', r.spec?.selector),
    ...(endpoints.length > 0 ? [] : [`${where}: no podMetricsEndpoints`]),
    ...endpoints.flatMap((e) => extra('endpoint', e)),
  ];
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
  /** One instance of each service, and its environment in the native stack (endpoints left out). */
  const oneOfEachService = () => serviceLayout(native).filter((i, n, all) => all.findIndex((j) => j.service === i.service) === n);
  const nativeEnvOf = (instance: ReturnType<typeof serviceLayout>[number]) =>
    serviceEnv(native, { kafkaBrokers: '', redisUrl: '', databaseUrl: '', otlpEndpoint: '', oauthIssuer: '' }, instance);

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

  it.each(SERVICES)(
    '%s probes /health/live (startup, liveness) and /health/ready, pauses before SIGTERM, has requests, limits and the service env',
    (name) => {
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
    },
  );

  it.each(SERVICES)('%s has a PodDisruptionBudget of one pod that selects its pods and no others', (name) => {
    const budget = find('PodDisruptionBudget', name);
    expect(budget).toBeDefined();
    expect(budget!.spec.maxUnavailable ?? budget!.spec.minAvailable).toBe(1);
    expect(budget!.spec.selector.matchExpressions).toBeUndefined();
    const selects = (labels: Record<string, string> = {}) =>
      Object.entries(budget!.spec.selector.matchLabels as Record<string, string>).every(([k, v]) => labels[k] === v);
    const workloads = resources.filter((r) => r.kind === 'Deployment' || r.kind === 'StatefulSet');
    expect(workloads.filter((w) => selects(w.spec.template.metadata.labels)).map((w) => w.metadata.name)).toEqual([name]);
  });

  it.each(Object.entries(GROUP_OF_SERVICE))(
    '%s scales with KEDA on the lag of group "%s", at most one replica per partition',
    (name, group) => {
      const scaled = find('ScaledObject', name);
      expect(scaled?.spec.scaleTargetRef.name).toBe(name);
      const [trigger] = scaled!.spec.triggers;
      expect(trigger.type).toBe('kafka');
      expect(trigger.metadata).toMatchObject({ consumerGroup: group, topic: ORDERS_TOPIC });
      const partitions = find('KafkaTopic', ORDERS_TOPIC)!.spec.partitions as number;
      expect(scaled!.spec.maxReplicaCount).toBeLessThanOrEqual(partitions);
      expect(scaled!.spec.minReplicaCount).toBeGreaterThanOrEqual(1);
    },
  );

  it.each(SERVICES)('%s pods carry the prometheus.io scrape annotations, on the port the service listens on', (name) => {
    const template = find('Deployment', name)!.spec.template;
    const [container] = template.spec.containers;
    const env = Object.fromEntries(container.env.map((e: { name: string; value?: string }) => [e.name, e.value]));
    const http = container.ports.find((p: { name?: string }) => p.name === 'http');
    expect(template.metadata.annotations).toEqual({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': env.PORT,
      'prometheus.io/path': '/metrics',
    });
    expect(String(http.containerPort)).toBe(env.PORT);
  });

  it('has a PodMonitor that scrapes /metrics on the http port of every service pod, and of no other pod', () => {
    const monitors = resources.filter((r) => r.kind === 'PodMonitor');
    expect(monitors.length).toBeGreaterThan(0);
    expect(monitors.flatMap(podMonitorProblems)).toEqual([]);
    const workloads = resources.filter((r) => r.kind === 'Deployment' || r.kind === 'StatefulSet');
    for (const monitor of monitors) {
      expect(monitor.spec.podMetricsEndpoints).toContainEqual(expect.objectContaining({ port: 'http', path: '/metrics' }));
      // A PodMonitor sees pods of its own namespace unless told otherwise.
      expect(monitor.spec.namespaceSelector).toBeUndefined();
    }
    const scraped = workloads.filter((w) => monitors.some((m) => selects(m.spec.selector, w.spec.template.metadata.labels)));
    expect(scraped.map((w) => w.metadata.name).sort()).toEqual([...SERVICES].sort());
    for (const workload of scraped) {
      const ports = workload.spec.template.spec.containers.flatMap((c: { ports?: { name?: string }[] }) => c.ports ?? []);
      expect(ports.map((p: { name?: string }) => p.name)).toContain('http');
    }
  });

  it("names the PodMonitor's jobs after the services, as the compose Prometheus does, so one dashboard fits both", () => {
    const monitors = resources.filter((r) => r.kind === 'PodMonitor');
    const workloads = resources.filter((r) => r.kind === 'Deployment');
    const jobs = monitors.flatMap((m) =>
      workloads
        .filter((w) => selects(m.spec.selector, w.spec.template.metadata.labels))
        .map((w) => w.spec.template.metadata.labels[m.spec.jobLabel]),
    );
    const compose = parse(readFileSync(join(__dirname, '..', '..', 'deploy', 'compose', 'prometheus', 'prometheus.yml'), 'utf8')) as {
      scrape_configs: { job_name: string }[];
    };
    expect(jobs.sort()).toEqual(compose.scrape_configs.map((j) => j.job_name).sort());
  });

  // The shape check above is only worth something if it can fail.
  it.each<[string, (m: Resource) => void]>([
    ['a misspelt endpoint list', (m) => void ((m.spec.podMetricEndpoints = m.spec.podMetricsEndpoints), delete m.spec.podMetricsEndpoints)],
    ['a misspelt endpoint field', (m) => void (m.spec.podMetricsEndpoints[0].metricsPath = '/metrics')],
    ['a ServiceMonitor-style selector', (m) => void (m.spec.selector.matchLabel = { app: 'order-service' })],
    ['the v1alpha1 API', (m) => void (m.apiVersion = 'monitoring.coreos.com/v1alpha1')],
  ])('the PodMonitor shape check rejects %s', (_, change) => {
    const monitor = resources.find((r) => r.kind === 'PodMonitor')!;
    expect(podMonitorProblems(edited(monitor, change))).not.toEqual([]);
  });

  it('declares every topic the services use', () => {
    const declared = resources.filter((r) => r.kind === 'KafkaTopic').map((r) => r.metadata.name);
    expect(declared.sort()).toEqual(topicsWithGroups(ORDERS_TOPIC, CONSUMER_GROUP_IDS).sort());
  });

  it('runs the same Kafka version and topic layout as the native stack', () => {
    expect(find('Kafka', 'fanout')!.spec.kafka.version).toBe(KAFKA_VERSION);
    expect(find('Kafka', 'fanout')!.spec.kafka.config['min.insync.replicas']).toBe(2);
    expect(find('KafkaTopic', ORDERS_TOPIC)!.spec).toMatchObject({ partitions: native.partitions, replicas: 3 });
  });

  it("authenticates every client with SCRAM, authorises by ACL, and gives each principal the native stack's grants", () => {
    const kafka = find('Kafka', 'fanout')!.spec;
    expect(kafka.kafka.listeners.map((l: { authentication?: { type: string } }) => l.authentication?.type)).toEqual(['scram-sha-512']);
    expect(kafka.kafka.authorization).toEqual({ type: 'simple' });
    const users = resources.filter((r) => r.kind === 'KafkaUser');
    const asGrants = (acls: { resource: { type: string; name?: string; patternType?: string }; operations: string[] }[]) =>
      acls.map(({ resource, operations }) => ({
        resource: { type: resource.type, name: resource.name ?? 'kafka-cluster', patternType: resource.patternType ?? 'literal' },
        operations,
      }));
    expect(Object.fromEntries(users.map((u) => [u.metadata.name, asGrants(u.spec.authorization.acls)]))).toEqual(kafkaGrants());
    for (const service of ['order-service', 'notification-service', 'analytics-service', 'cache-refresh-service']) {
      const env = find('Deployment', service)!.spec.template.spec.containers[0].env as {
        name: string;
        value?: string;
        valueFrom?: unknown;
      }[];
      expect(env.find((e) => e.name === 'KAFKA_SASL_USERNAME')?.value).toBe(service);
      expect(env.find((e) => e.name === 'KAFKA_SASL_PASSWORD')?.valueFrom).toEqual({ secretKeyRef: { name: service, key: 'password' } });
    }
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
    expect(new Set(strimzi.map((r) => r.kind))).toEqual(new Set(['Kafka', 'KafkaNodePool', 'KafkaTopic', 'KafkaUser']));
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
    const fromConfigMap = Object.keys(find('ConfigMap', 'fanout-env')!.data ?? {});
    for (const instance of oneOfEachService()) {
      const nativeNames = Object.keys(nativeEnvOf(instance));
      const container = find('Deployment', instance.service)!.spec.template.spec.containers[0];
      const configured = [...fromConfigMap, ...(container.env as { name: string }[]).map((e) => e.name)];
      // A secret is an X here (from a Secret) and an X_FILE natively (a file of the state directory).
      expect(configured.filter((name) => !nativeNames.includes(name) && !nativeNames.includes(`${name}_FILE`))).toEqual([]);
    }
  });

  it("runs each service with the native stack's V8 memory bounds (NODE_OPTIONS, the container's own over the ConfigMap's)", () => {
    const shared = find('ConfigMap', 'fanout-env')!.data?.NODE_OPTIONS;
    for (const instance of oneOfEachService()) {
      const nativeEnv = nativeEnvOf(instance);
      const container = find('Deployment', instance.service)!.spec.template.spec.containers[0];
      const own = (container.env as { name: string; value?: string }[]).find((e) => e.name === 'NODE_OPTIONS')?.value;
      expect({ service: instance.service, NODE_OPTIONS: own ?? shared }).toEqual({
        service: instance.service,
        NODE_OPTIONS: nativeEnv.NODE_OPTIONS,
      });
    }
  });

  it("gives each service its own Redis user and PostgreSQL role, as natively, with passwords from one Secret's keys", () => {
    const secret = find('Secret', 'fanout-data-credentials')!;
    const keys = Object.keys(secret.stringData ?? secret.data ?? {}).sort();
    expect(keys).toEqual(
      stackSecretNames()
        .filter((name) => !name.startsWith('kafka-'))
        .sort(),
    ); // Kafka's are Strimzi's
    for (const service of SERVICES) {
      const env = find('Deployment', service)!.spec.template.spec.containers[0].env as {
        name: string;
        value?: string;
        valueFrom?: unknown;
      }[];
      const value = (name: string) => env.find((e) => e.name === name);
      const ref = (key: string) => ({ secretKeyRef: { name: 'fanout-data-credentials', key } });
      expect(value('REDIS_URL')?.value).toBe(`redis://${service}@redis:6379`);
      expect(value('REDIS_PASSWORD')?.valueFrom).toEqual(ref(`redis-${service}`));
      const role = POSTGRES_ROLES[service];
      expect(value('DATABASE_URL')?.value).toBe(role ? `postgres://${role}@postgres:5432/fanout` : undefined);
      expect(value('DATABASE_PASSWORD')?.valueFrom).toEqual(role ? ref(`postgres-${role}`) : undefined);
    }
    // Redis and PostgreSQL each see their own passwords only, and run the scripts the native stack runs.
    const mountedKeys = (name: string) =>
      find('StatefulSet', name)!
        .spec.template.spec.volumes.find((v: { secret?: unknown }) => v.secret)
        .secret.items.map((i: { key: string }) => i.key)
        .sort();
    expect(mountedKeys('redis')).toEqual(keys.filter((k) => k.startsWith('redis-')));
    expect(mountedKeys('postgres')).toEqual(keys.filter((k) => k.startsWith('postgres-')));
    const redis = find('StatefulSet', 'redis')!.spec.template.spec.containers[0];
    expect(redis.command).toEqual(['sh', '/etc/fanout-redis/start.sh']);
    const configMapFile = (prefix: string, file: string) =>
      resources.find((r) => r.kind === 'ConfigMap' && r.metadata.name.startsWith(prefix))!.data![file];
    const repoFile = (path: string) => readFileSync(join(__dirname, '..', '..', 'deploy', path), 'utf8');
    expect(configMapFile('redis-acl', 'users.acl')).toBe(repoFile('redis/users.acl'));
    expect(configMapFile('postgres-provision', 'provision.sh')).toBe(repoFile('postgres/provision.sh'));
  });
});

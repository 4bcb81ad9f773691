import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allTopics } from '@fanout/contracts';
import { composeCheckBinary, KAFKA_VERSION, run, serviceEnv, serviceLayout, settingsFromEnv } from '@fanout/local-stack';

const repo = join(__dirname, '..', '..');

interface ComposeService {
  image?: string;
  environment?: Record<string, string | null>;
  ports?: { published?: string; target: number }[];
  deploy?: { replicas?: number };
  container_name?: string;
  healthcheck?: { test?: string[] };
  mem_limit?: string | number;
  depends_on?: Record<string, { condition: string }>;
  command?: string[];
}
interface ComposeProject {
  services: Record<string, ComposeService>;
}

/** docker-compose.yml, loaded by compose-go (what `docker compose` uses) — so it is valid Compose — then compared with the native stack. */
describe('docker-compose.yml agrees with the native stack', () => {
  let compose: ComposeProject;
  const native = settingsFromEnv();
  const layout = serviceLayout(native);
  const apps = [...new Set(layout.map((i) => i.service))];

  beforeAll(() => {
    compose = JSON.parse(run(composeCheckBinary(), [join(repo, 'docker-compose.yml')])) as ComposeProject;
  }, 300_000);

  it('rejects an invalid Compose file (the check can fail)', () => {
    const broken = readFileSync(join(repo, 'docker-compose.yml'), 'utf8').replace('interval: 5s', 'interval: soon');
    const file = join(tmpdir(), 'fanout-broken-compose.yml');
    writeFileSync(file, broken);
    expect(() => run(composeCheckBinary(), [file])).toThrow(/invalid duration/);
  });

  it('runs the same services, with the same environment variable names and the values that matter', () => {
    for (const app of apps) {
      const service = compose.services[app];
      expect(service).toBeDefined();
      const nativeEnv = serviceEnv(native, { kafkaBrokers: '', redisUrl: '', databaseUrl: '', otlpEndpoint: '' }, layout.find((i) => i.service === app)!);
      // Compose replicas cannot be numbered: their instance id falls back to the container's hostname.
      const { SERVICE_INSTANCE_ID: _perInstance, ...expected } = nativeEnv;
      expect(Object.keys(service!.environment ?? {}).sort()).toEqual(Object.keys(expected).sort());
      expect(service!.environment!.PORT).toBe(expected.PORT);
      expect(service!.environment!.OTEL_SERVICE_NAME).toBe(app);
      expect(service!.environment!.NODE_ENV).toBe('production');
    }
  });

  it('runs the consumer services as load-balanced replicas with health checks, memory limits and healthy dependencies', () => {
    for (const app of apps) {
      const service = compose.services[app]!;
      expect(service.healthcheck?.test?.length).toBeGreaterThan(0);
      expect(Number(service.mem_limit)).toBeGreaterThan(0);
      expect(Object.values(service.depends_on ?? {}).map((d) => d.condition)).toEqual(
        expect.arrayContaining(['service_healthy', 'service_completed_successfully']),
      );
      if (app === 'order-service') continue;
      expect(service.container_name).toBeUndefined();
      expect(service.deploy?.replicas).toBe(native.consumerInstances);
    }
  });

  it('runs the same Kafka version as a 3-broker cluster with RF 3 and min.insync.replicas 2', () => {
    const brokers = Object.entries(compose.services).filter(([name]) => /^kafka-\d$/.test(name));
    expect(brokers).toHaveLength(3);
    for (const [, broker] of brokers) {
      expect(broker.image).toBe(`apache/kafka:${KAFKA_VERSION}`);
      expect(broker.environment).toMatchObject({ KAFKA_DEFAULT_REPLICATION_FACTOR: '3', KAFKA_MIN_INSYNC_REPLICAS: '2', KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false' });
    }
  });

  it('creates the same topics with the same partition count before the services start', () => {
    const script = compose.services['kafka-init']!.command!.join(' ');
    expect(script).toContain(`for topic in ${allTopics().join(' ')};`);
    expect(script).toContain(`--partitions ${native.partitions}`);
  });

  it('publishes only the order-service and the Jaeger UI', () => {
    const published = Object.entries(compose.services).flatMap(([name, s]) => (s.ports ?? []).map((p) => `${name}:${p.published}`));
    expect(published.sort()).toEqual([`jaeger:${native.jaegerUiPort}`, `order-service:${native.orderServicePort}`]);
  });
});

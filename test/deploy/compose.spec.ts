import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { CONSUMER_GROUP_IDS, ORDERS_TOPIC } from '@fanout/contracts';
import { topicsWithGroups } from '@fanout/messaging';
import {
  composeCheckBinary,
  consoleEnv,
  KAFKA_VERSION,
  installPrometheus,
  kafkaGrants,
  POSTGRES_ROLES,
  run,
  serviceEnv,
  serviceLayout,
  settingsFromEnv,
  stackSecretNames,
} from '@fanout/local-stack';

const repo = join(__dirname, '..', '..');

interface ComposeService {
  image?: string;
  environment?: Record<string, string | null>;
  ports?: { published?: string; target: number }[];
  deploy?: { replicas?: number };
  container_name?: string;
  healthcheck?: { test?: string[] };
  mem_limit?: string | number;
  depends_on?: Record<string, { condition: string; required?: boolean }>;
  command?: string[];
  entrypoint?: string[];
  volumes?: { type: string; source: string; target: string; read_only?: boolean }[];
}
interface ComposeProject {
  services: Record<string, ComposeService>;
}

/** docker-compose.yml as compose-go loads it, loaded once for every describe below. */
let loaded: ComposeProject | undefined;
const loadCompose = (): ComposeProject =>
  (loaded ??= JSON.parse(run(composeCheckBinary(), [join(repo, 'docker-compose.yml')])) as ComposeProject);

/** docker-compose.yml, loaded by compose-go (what `docker compose` uses) — so it is valid Compose — then compared with the native stack. */
describe('docker-compose.yml agrees with the native stack', () => {
  let compose: ComposeProject;
  const native = settingsFromEnv();
  const layout = serviceLayout(native);
  const apps = [...new Set(layout.map((i) => i.service))];
  // Only the environment's names and per-service values are compared: the endpoints' values differ anyway.
  const noEndpoints = { kafkaBrokers: '', redisUrl: '', databaseUrl: '', otlpEndpoint: '', oauthIssuer: '' };
  const nativeEnvOf = (app: string) =>
    serviceEnv(
      native,
      noEndpoints,
      layout.find((i) => i.service === app)!,
    );
  const brokers = () => Object.entries(compose.services).filter(([name]) => /^kafka-\d$/.test(name));

  beforeAll(() => {
    compose = loadCompose();
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
      const nativeEnv = nativeEnvOf(app);
      // Compose replicas cannot be numbered: their instance id falls back to the container's hostname.
      const { SERVICE_INSTANCE_ID: _perInstance, ...expected } = nativeEnv;
      expect(Object.keys(service!.environment ?? {}).sort()).toEqual(Object.keys(expected).sort());
      expect(service!.environment!.PORT).toBe(expected.PORT);
      expect(service!.environment!.OTEL_SERVICE_NAME).toBe(app);
      expect(service!.environment!.NODE_ENV).toBe('production');
      expect(service!.environment!.NODE_OPTIONS).toBe(expected.NODE_OPTIONS); // the memory bounds bench/README.md measured
    }
  });

  it('gives each service its own Redis user and PostgreSQL role, as natively, with a password file made at first start', () => {
    const made = compose.services.secrets!.command!.join(' ');
    expect(made).toContain(`for name in ${stackSecretNames().join(' ')};`);
    for (const app of apps) {
      const environment = compose.services[app]!.environment!;
      const nativeEnv = nativeEnvOf(app);
      expect(environment.KAFKA_SASL_USERNAME).toBe(app);
      expect(environment.KAFKA_SASL_PASSWORD_FILE).toBe(`/run/secrets/kafka-${app}`);
      expect(environment.REDIS_URL).toBe(`redis://${app}@redis:6379`);
      expect(environment.REDIS_PASSWORD_FILE).toBe(`/run/secrets/redis-${app}`);
      const role = POSTGRES_ROLES[app];
      expect(environment.DATABASE_URL).toBe(role ? `postgres://${role}@postgres:5432/fanout` : undefined);
      expect(environment.DATABASE_PASSWORD_FILE).toBe(role ? `/run/secrets/postgres-${role}` : undefined);
      // The same user, role and secret names as the native stack's.
      expect(new URL(environment.REDIS_URL!).username).toBe(new URL(nativeEnv.REDIS_URL!).username);
      if (role) expect(new URL(environment.DATABASE_URL!).username).toBe(new URL(nativeEnv.DATABASE_URL!).username);
    }
    const mounts = (name: string) => compose.services[name]!.volumes!.map((v) => `${v.source.replace(repo, '.')}:${v.target}`);
    expect(mounts('redis')).toEqual(expect.arrayContaining(['./deploy/redis:/etc/fanout-redis', 'secrets:/run/secrets']));
    expect(compose.services.redis!.command!.slice(0, 2)).toEqual(['sh', '/etc/fanout-redis/start.sh']);
    expect(mounts('postgres')).toEqual(
      expect.arrayContaining(['./deploy/postgres/provision.sh:/docker-entrypoint-initdb.d/provision.sh', 'secrets:/run/secrets']),
    );
    expect(compose.services.postgres!.environment!.POSTGRES_PASSWORD_FILE).toBe('/run/secrets/postgres-fanout');
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
    expect(brokers()).toHaveLength(3);
    for (const [, broker] of brokers()) {
      expect(broker.image).toBe(`apache/kafka:${KAFKA_VERSION}`);
      expect(broker.environment).toMatchObject({
        KAFKA_DEFAULT_REPLICATION_FACTOR: '3',
        KAFKA_MIN_INSYNC_REPLICAS: '2',
        KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      });
    }
  });

  it('creates the same topics with the same partition count before the services start', () => {
    expect(compose.services['kafka-init']!.entrypoint).toEqual(['/bin/sh', '/etc/fanout-kafka/init.sh']);
    const script = readFileSync(join(repo, 'deploy', 'compose', 'kafka', 'init.sh'), 'utf8');
    expect(script).toContain(`for topic in ${topicsWithGroups(ORDERS_TOPIC, CONSUMER_GROUP_IDS).join(' ')};`);
    expect(script).toContain(`--partitions ${native.partitions}`);
    for (const app of apps) expect(compose.services[app]!.depends_on!['kafka-init']?.condition).toBe('service_completed_successfully');
  });

  it("lets clients in with SASL only, nothing without an ACL, and grants each principal the native stack's ACLs", () => {
    for (const [, broker] of brokers()) {
      expect(broker.environment).toMatchObject({
        KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT',
        KAFKA_AUTHORIZER_CLASS_NAME: 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
        KAFKA_SUPER_USERS: 'User:admin',
        KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND: 'false',
      });
      expect(broker.healthcheck!.test!.join(' ')).toContain('--command-config /tmp/admin.properties');
    }
    const listed = readFileSync(join(repo, 'deploy', 'compose', 'kafka', 'acls'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'))
      .map((line) => line.split(' '));
    const expected = Object.entries(kafkaGrants()).flatMap(([principal, grants]) =>
      grants.map(({ resource, operations }) => [
        principal,
        resource.type,
        resource.patternType === 'prefix' ? 'prefixed' : 'literal',
        resource.name,
        operations.join(','),
      ]),
    );
    expect(listed).toEqual(expected);
  });

  it('publishes only the order-service, the console, the dev issuer, the Jaeger UI, Prometheus and Grafana', () => {
    const published = Object.entries(compose.services).flatMap(([name, s]) => (s.ports ?? []).map((p) => `${name}:${p.published}`));
    expect(published.sort()).toEqual([
      `console:${native.consolePort}`,
      `dev-issuer:${native.issuerPort}`,
      'grafana:3030',
      `jaeger:${native.jaegerUiPort}`,
      `order-service:${native.orderServicePort}`,
      'prometheus:9090',
    ]);
  });

  it('runs the console with the environment names the native one reads, on the same port', () => {
    const service = compose.services.console!;
    const nativeEnv = consoleEnv(native, noEndpoints);
    const { SERVICE_INSTANCE_ID: _perInstance, ...expected } = nativeEnv;
    expect(Object.keys(service.environment ?? {}).sort()).toEqual(Object.keys(expected).sort());
    expect(service.environment!.PORT).toBe(String(native.consolePort));
    expect(service.environment!.JAEGER_UI_URL).toBe(`http://localhost:${native.jaegerUiPort}`);
    expect(service.healthcheck?.test?.join(' ')).toContain('/health/ready');
  });
});

const monitoring = join(repo, 'deploy', 'compose');
const PROMETHEUS_CONFIG = join(monitoring, 'prometheus', 'prometheus.yml');
const DATASOURCES = join(monitoring, 'grafana', 'provisioning', 'datasources');
const DASHBOARD_PROVIDERS = join(monitoring, 'grafana', 'provisioning', 'dashboards');
const DASHBOARDS = join(monitoring, 'grafana', 'dashboards');

/**
 * The metric names the services export (with a histogram's _bucket, _count and _sum series). The dashboard
 * may query nothing else: a misspelt name would draw an empty panel, not an error, so it fails here.
 */
const EXPORTED_METRICS = [
  'fanout_consumer_lag',
  'fanout_consumer_assigned',
  'fanout_dead_letters_pending',
  'fanout_consumer_records_total',
  'fanout_consumer_fanout_latency_seconds_bucket',
  'messaging_client_sent_messages_total',
  'messaging_client_consumed_messages_total',
  'messaging_process_duration_seconds_bucket',
  'http_server_request_duration_seconds_bucket',
  'http_server_request_duration_seconds_count',
  'http_server_request_duration_seconds_sum',
  'fanout_notification_breaker_open',
];
const family = (metric: string): string => metric.replace(/_(bucket|count|sum)$/, '');

/** PromQL keywords and literals, which look like identifiers. */
const PROMQL_WORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
  'atan2',
  'inf',
  'nan',
]);

/**
 * The metric names a PromQL expression selects: the identifiers left once string literals, label matchers,
 * range and subquery brackets and grouping label lists are cut out, other than keywords and function calls.
 */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  // (?![\w:]) keeps a function name whole, so that the (?!\s*\() after it sees its parenthesis.
  return [...bare.matchAll(/(?<![\w.:])([a-zA-Z_:][\w:]*)(?![\w:])(?!\s*\()/g)]
    .map((m) => m[1]!)
    .filter((word) => !PROMQL_WORDS.has(word.toLowerCase()));
}

const unknownMetrics = (expr: string): string[] => metricNames(expr).filter((name) => !EXPORTED_METRICS.includes(name));

interface Datasource {
  uid?: string;
  type?: string;
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: Datasource;
  targets?: { refId: string; expr?: string; datasource?: Datasource }[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
}

/**
 * promtool, to check prometheus.yml and the dashboard's PromQL the way Prometheus parses them: unpacked from
 * Debian's `prometheus` package into the cache (the native stack runs that package's Prometheus too). Debian's is
 * older than the image (2.x, where the image runs 3.x), so prometheus.yml keeps to settings both read.
 * Undefined where the package cannot be had (no apt, no package index): those checks are skipped.
 */
const findPromtool = (): string | undefined => installPrometheus(settingsFromEnv())?.promtool;

/** Prometheus and Grafana in docker-compose.yml, their configuration in deploy/compose, and the dashboard. */
describe('docker-compose.yml monitors the services with Prometheus and Grafana', () => {
  let compose: ComposeProject;
  const apps = [...new Set(serviceLayout(settingsFromEnv()).map((i) => i.service))];
  const dashboard = JSON.parse(readFileSync(join(DASHBOARDS, 'fanout.json'), 'utf8')) as Dashboard;
  const promtool = findPromtool();
  const withPromtool = promtool ? it : it.skip;

  const mount = (service: ComposeService, target: string) => service.volumes?.find((v) => v.target === target);
  /** Every target of every panel, with the panel it belongs to. */
  const targets = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel, target })));
  /** The dashboard's queries as a Prometheus rules file: promtool parses each expression in it. */
  const asRules = (exprs: { record: string; expr: string }[]): string => {
    const file = join(mkdtempSync(join(tmpdir(), 'fanout-dashboard-')), 'rules.yml');
    writeFileSync(file, stringify({ groups: [{ name: 'dashboard', rules: exprs }] }));
    return file;
  };

  beforeAll(() => {
    compose = loadCompose();
  }, 300_000);

  it('runs Prometheus 3 with its configuration mounted read-only, a memory limit and a readiness health check', () => {
    const prometheus = compose.services.prometheus!;
    expect(prometheus.image).toMatch(/^prom\/prometheus:v3\.\d+\.\d+$/);
    expect(Number(prometheus.mem_limit)).toBeGreaterThan(0);
    expect(prometheus.healthcheck?.test?.join(' ')).toContain('http://127.0.0.1:9090/-/ready');
    expect(prometheus.ports).toEqual([expect.objectContaining({ target: 9090, published: '9090' })]);
    expect(prometheus.command).toContain('--config.file=/etc/prometheus/prometheus.yml');
    expect(mount(prometheus, '/etc/prometheus/prometheus.yml')).toMatchObject({ type: 'bind', source: PROMETHEUS_CONFIG, read_only: true });
  });

  it('starts Prometheus once the services are healthy, and no service waits for Prometheus or Grafana', () => {
    const dependsOn = compose.services.prometheus!.depends_on ?? {};
    expect(Object.keys(dependsOn).sort()).toEqual([...apps].sort());
    for (const app of apps) expect(dependsOn[app]).toMatchObject({ condition: 'service_healthy', required: false });
    const waitingForMonitoring = Object.entries(compose.services)
      .filter(([name, s]) => name !== 'grafana' && Object.keys(s.depends_on ?? {}).some((d) => d === 'prometheus' || d === 'grafana'))
      .map(([name]) => name);
    expect(waitingForMonitoring).toEqual([]);
  });

  it('scrapes every service, through Docker DNS (so every replica), on the port it listens on', () => {
    const config = parse(readFileSync(PROMETHEUS_CONFIG, 'utf8')) as {
      scrape_configs: {
        job_name: string;
        metrics_path?: string;
        static_configs?: unknown;
        dns_sd_configs?: { names: string[]; type: string; port: number }[];
      }[];
    };
    const jobs = config.scrape_configs;
    // Job names are the service names: the dashboard tells the services apart by job.
    expect(jobs.map((j) => j.job_name).sort()).toEqual([...apps].sort());
    for (const job of jobs) {
      expect(job.metrics_path ?? '/metrics').toBe('/metrics');
      expect(job.static_configs).toBeUndefined();
      expect(job.dns_sd_configs?.flatMap((sd) => sd.names)).toEqual([job.job_name]);
      for (const sd of job.dns_sd_configs!) {
        expect(sd.type).toBe('A');
        for (const name of sd.names) {
          expect(compose.services[name]).toBeDefined();
          expect(String(sd.port)).toBe(compose.services[name]!.environment?.PORT);
        }
      }
    }
  });

  it('runs Grafana with anonymous viewers, the admin password from GRAFANA_ADMIN_PASSWORD and the provisioning mounted', () => {
    const grafana = compose.services.grafana!;
    expect(grafana.image).toMatch(/^grafana\/grafana:\d+\.\d+\.\d+$/);
    expect(Number(grafana.mem_limit)).toBeGreaterThan(0);
    expect(grafana.ports).toEqual([expect.objectContaining({ target: 3000, published: '3030' })]);
    expect(grafana.environment).toMatchObject({ GF_AUTH_ANONYMOUS_ENABLED: 'true', GF_AUTH_ANONYMOUS_ORG_ROLE: 'Viewer' });
    expect(grafana.environment?.GF_SECURITY_ADMIN_PASSWORD).toBeTruthy();
    expect(readFileSync(join(repo, 'docker-compose.yml'), 'utf8')).toContain('GF_SECURITY_ADMIN_PASSWORD: ${GRAFANA_ADMIN_PASSWORD:-');
    expect(grafana.depends_on?.prometheus?.condition).toBe('service_healthy');
    expect(mount(grafana, '/etc/grafana/provisioning/datasources')).toMatchObject({ type: 'bind', source: DATASOURCES, read_only: true });
    expect(mount(grafana, '/etc/grafana/provisioning/dashboards')).toMatchObject({
      type: 'bind',
      source: DASHBOARD_PROVIDERS,
      read_only: true,
    });
    // The dashboard provider reads the directory the dashboards are mounted at, and the home dashboard is in it.
    const providers = parse(readFileSync(join(DASHBOARD_PROVIDERS, 'fanout.yml'), 'utf8')) as {
      providers: { type: string; options: { path: string } }[];
    };
    expect(providers.providers).toHaveLength(1);
    const [provider] = providers.providers;
    expect(provider!.type).toBe('file');
    expect(mount(grafana, provider!.options.path)).toMatchObject({ type: 'bind', source: DASHBOARDS, read_only: true });
    expect(grafana.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH).toBe(join(provider!.options.path, 'fanout.json'));
  });

  it('provisions the Prometheus data source the dashboard uses, at the Prometheus service', () => {
    const { datasources } = parse(readFileSync(join(DATASOURCES, 'prometheus.yml'), 'utf8')) as {
      datasources: { uid: string; type: string; url: string }[];
    };
    expect(datasources).toHaveLength(1);
    const [source] = datasources;
    expect(source!.type).toBe('prometheus');
    const url = new URL(source!.url);
    expect(compose.services[url.hostname]?.image).toMatch(/^prom\/prometheus:/);
    expect(compose.services[url.hostname]!.ports?.map((p) => String(p.target))).toContain(url.port);
    const used = [...dashboard.panels.map((p) => p.datasource), ...targets.map(({ target }) => target.datasource)];
    expect(used.filter((d) => d?.uid !== source!.uid || d?.type !== 'prometheus')).toEqual([]);
  });

  it('gives every panel of the "Fanout" dashboard a query, on metrics the services export only', () => {
    expect(dashboard).toMatchObject({ uid: 'fanout', title: 'Fanout' });
    expect(dashboard.panels.length).toBeGreaterThan(0);
    for (const panel of dashboard.panels) {
      const exprs = (panel.targets ?? []).map((t) => t.expr ?? '').filter((e) => e.trim() !== '');
      expect({ panel: panel.title, hasQuery: exprs.length > 0 }).toEqual({ panel: panel.title, hasQuery: true });
      for (const expr of exprs) {
        expect(metricNames(expr).length).toBeGreaterThan(0);
        expect({ panel: panel.title, unknown: unknownMetrics(expr) }).toEqual({ panel: panel.title, unknown: [] });
      }
    }
  });

  it('charts every metric family the services export', () => {
    const charted = new Set(targets.flatMap(({ target }) => metricNames(target.expr ?? '')).map(family));
    expect([...new Set(EXPORTED_METRICS.map(family))].filter((f) => !charted.has(f))).toEqual([]);
  });

  // The metric-name check is only worth something if it can fail.
  it.each<[string, string, string[]]>([
    [
      'a misspelt metric',
      'sum by (group) (max by (group, topic, partition) (fanout_consumer_lagg{topic="orders"}))',
      ['fanout_consumer_lagg'],
    ],
    [
      'a histogram without its _bucket suffix',
      'histogram_quantile(0.99, sum by (group, le) (rate(fanout_consumer_fanout_latency_seconds[1m])))',
      ['fanout_consumer_fanout_latency_seconds'],
    ],
    [
      'a metric on the other side of a binary operator',
      'max(fanout_consumer_lag) / on (group) group_left sum(fanout_consumer_lags)',
      ['fanout_consumer_lags'],
    ],
  ])('the metric-name check rejects %s', (_, expr, unknown) => {
    expect(unknownMetrics(expr)).toEqual(unknown);
  });

  it('reads metric names, not functions, keywords, labels, label values or durations', () => {
    expect(
      metricNames(
        'histogram_quantile(0.99, sum without (instance) (rate(http_server_request_duration_seconds_bucket{http_route!~"/metrics|up"}[5m] offset 1m)))',
      ),
    ).toEqual(['http_server_request_duration_seconds_bucket']);
    expect(metricNames('max by (group) (fanout_dead_letters_pending) > bool 0 and on (group) fanout_consumer_lag')).toEqual([
      'fanout_dead_letters_pending',
      'fanout_consumer_lag',
    ]);
  });

  withPromtool(
    `keeps prometheus.yml valid for promtool check config${promtool ? '' : ' (skipped: no promtool, and none could be unpacked from Debian)'}`,
    () => {
      expect(run(promtool!, ['check', 'config', PROMETHEUS_CONFIG])).toContain('SUCCESS');
      const broken = join(mkdtempSync(join(tmpdir(), 'fanout-prometheus-')), 'prometheus.yml');
      writeFileSync(broken, readFileSync(PROMETHEUS_CONFIG, 'utf8').replace('type: A', 'type: CNAME'));
      expect(() => run(promtool!, ['check', 'config', broken])).toThrow(/invalid DNS-SD records type/);
    },
  );

  withPromtool(`keeps every query of the dashboard valid PromQL for promtool${promtool ? '' : ' (skipped: no promtool)'}`, () => {
    const rules = targets.map(({ panel, target }) => ({ record: `dashboard_panel_${panel.id}_${target.refId}`, expr: target.expr ?? '' }));
    expect(run(promtool!, ['check', 'rules', asRules(rules)])).toContain(`SUCCESS: ${rules.length} rules found`);
    const unbalanced = [{ record: 'broken', expr: 'sum(rate(fanout_consumer_records_total[1m])' }];
    expect(() => run(promtool!, ['check', 'rules', asRules(unbalanced)])).toThrow(/unclosed left parenthesis|unexpected end of input/);
  });
});

import { join } from 'node:path';
import { REPO_ROOT, type StackSettings } from '../settings';
import type { Supervised, Supervisor } from '../supervisor';
import { httpOk, waitFor } from '../wait';
import { issuerUrl } from './dev-issuer';
import { kafkaSecret } from './kafka-principals';
import { adminDatabaseUrl, databaseUrl, POSTGRES_ROLES, postgresSecret } from './postgres';
import { adminRedisUrl, redisSecret, redisUrl } from './redis';
import { secretPath } from './secrets';

/** The consumer services, in the order the stack lays them out. */
const CONSUMER_SERVICES = ['notification-service', 'analytics-service', 'cache-refresh-service'] as const;
export type ConsumerService = (typeof CONSUMER_SERVICES)[number];
const isConsumer = (service: string): boolean => (CONSUMER_SERVICES as readonly string[]).includes(service);

export interface ServiceInstance {
  service: 'order-service' | ConsumerService;
  instanceId: string;
  port: number;
  url: string;
  process: Supervised;
}

export interface StackEndpoints {
  kafkaBrokers: string;
  /** Redis and PostgreSQL as their admins, passwords included: for the tests, the benchmark and tools. */
  redisUrl: string;
  databaseUrl: string;
  otlpEndpoint: string;
  oauthIssuer: string;
}

export function endpoints(s: StackSettings, kafkaBrokers: string): StackEndpoints {
  return {
    kafkaBrokers,
    redisUrl: adminRedisUrl(s),
    databaseUrl: adminDatabaseUrl(s),
    otlpEndpoint: `http://127.0.0.1:${s.otlpHttpPort}`,
    oauthIssuer: issuerUrl(s),
  };
}

/** The service layout: one order-service, and `consumerInstances` of each consumer service. */
export function serviceLayout(s: StackSettings): { service: ServiceInstance['service']; instanceId: string; port: number }[] {
  const basePorts: Record<ConsumerService, number> = {
    'notification-service': s.consumerBasePorts.notification,
    'analytics-service': s.consumerBasePorts.analytics,
    'cache-refresh-service': s.consumerBasePorts.cacheRefresh,
  };
  return [
    { service: 'order-service' as const, instanceId: 'order-service-1', port: s.orderServicePort },
    ...CONSUMER_SERVICES.flatMap((service) =>
      Array.from({ length: s.consumerInstances }, (_, i) => ({ service, instanceId: `${service}-${i + 1}`, port: basePorts[service] + i })),
    ),
  ];
}

type Instance = { service: string; instanceId: string; port: number };

/** What every Node process of the stack is given: where it listens, Kafka, its name, its memory bounds. */
function nodeProcessEnv(s: StackSettings, e: StackEndpoints, instance: Instance): Record<string, string> {
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(instance.port),
    KAFKA_BROKERS: e.kafkaBrokers,
    KAFKA_SASL_USERNAME: instance.service,
    KAFKA_SASL_PASSWORD_FILE: secretPath(s, kafkaSecret(instance.service)),
    OTEL_SERVICE_NAME: instance.service,
    SERVICE_INSTANCE_ID: instance.instanceId,
    NODE_OPTIONS: `--max-old-space-size=${s.serviceHeapMb} --max-semi-space-size=${isConsumer(instance.service) ? s.consumerSemiSpaceMb : s.serviceSemiSpaceMb}`,
    // Two malloc arenas, not eight per core: glibc's per-thread arenas held 15-25 MB of RSS per service.
    MALLOC_ARENA_MAX: '2',
  };
}

/**
 * The environment of one instance: the same variable names as docker-compose.yml and the k8s manifests.
 * Each service logs in as itself everywhere (Kafka principal, Redis user, PostgreSQL role), its
 * passwords read from secret files.
 */
export function serviceEnv(s: StackSettings, e: StackEndpoints, instance: Instance): Record<string, string> {
  const role = POSTGRES_ROLES[instance.service];
  return {
    ...nodeProcessEnv(s, e, instance),
    REDIS_URL: redisUrl(s, instance.service),
    REDIS_PASSWORD_FILE: secretPath(s, redisSecret(instance.service)),
    ...(role ? { DATABASE_URL: databaseUrl(s, role), DATABASE_PASSWORD_FILE: secretPath(s, postgresSecret(role)) } : {}),
    OTEL_EXPORTER_OTLP_ENDPOINT: e.otlpEndpoint,
    OTEL_SDK_DISABLED: String(!s.tracing),
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: String(s.traceSampling),
    OAUTH_ISSUER: e.oauthIssuer,
    // The dev stack is where fault drills run: the channel's switch is on here, off by default elsewhere.
    NOTIFICATION_FAULT_SWITCH: 'true',
  };
}

/** The console's environment: Kafka to inspect, Jaeger's API for trees, notification's instances for the breaker. */
export function consoleEnv(s: StackSettings, e: StackEndpoints): Record<string, string> {
  const notification = serviceLayout(s).filter((i) => i.service === 'notification-service');
  return {
    ...nodeProcessEnv(s, e, { service: 'console', instanceId: 'console-1', port: s.consolePort }),
    JAEGER_QUERY_URL: `http://127.0.0.1:${s.jaegerUiPort}`,
    // Natively Jaeger serves a placeholder UI unless JAEGER_UI_ASSETS names a real build: links only then.
    JAEGER_UI_URL: process.env.JAEGER_UI_ASSETS ? `http://127.0.0.1:${s.jaegerUiPort}` : '',
    CONSOLE_BREAKER_URLS: notification.map((i) => `http://127.0.0.1:${i.port}`).join(','),
  };
}

/** Starts apps/<app>/dist/main.js as a supervised process (stopped before the infrastructure). */
function startApp(supervisor: Supervisor, app: string, name: string, env: Record<string, string>): Supervised {
  return supervisor.start({
    name,
    command: process.execPath,
    args: ['--enable-source-maps', join(REPO_ROOT, 'apps', app, 'dist', 'main.js')],
    env,
    tier: 1,
  });
}

/** Waits until a started app answers its readiness probe. */
function ready(name: string, url: string, process: Supervised): Promise<boolean> {
  return waitFor(name, () => httpOk(`${url}/health/ready`), { timeoutMs: 60_000, logPath: process.logPath });
}

/** Starts the fan-out console once the services run, and waits until it reads the groups. */
export async function startConsole(s: StackSettings, e: StackEndpoints, supervisor: Supervisor): Promise<Supervised> {
  const consoleProcess = startApp(supervisor, 'console', 'console', consoleEnv(s, e));
  await ready('console', `http://127.0.0.1:${s.consolePort}`, consoleProcess);
  return consoleProcess;
}

export async function startServices(s: StackSettings, e: StackEndpoints, supervisor: Supervisor): Promise<ServiceInstance[]> {
  const instances = serviceLayout(s).map((instance) => ({
    ...instance,
    url: `http://127.0.0.1:${instance.port}`,
    process: startApp(supervisor, instance.service, instance.instanceId, serviceEnv(s, e, instance)),
  }));
  await Promise.all(instances.map((i) => ready(`${i.instanceId} (port ${i.port})`, i.url, i.process)));
  return instances;
}

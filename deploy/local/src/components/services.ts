import { join } from 'node:path';
import { REPO_ROOT, type StackSettings } from '../settings';
import type { Supervised, Supervisor } from '../supervisor';
import { httpOk, waitFor } from '../wait';
import { databaseUrl } from './postgres';

export type ConsumerService = 'notification-service' | 'analytics-service' | 'cache-refresh-service';

export interface ServiceInstance {
  service: 'order-service' | ConsumerService;
  instanceId: string;
  port: number;
  url: string;
  process: Supervised;
}

export interface StackEndpoints {
  kafkaBrokers: string;
  redisUrl: string;
  databaseUrl: string;
  otlpEndpoint: string;
}

export function endpoints(s: StackSettings, kafkaBrokers: string): StackEndpoints {
  return {
    kafkaBrokers,
    redisUrl: `redis://127.0.0.1:${s.redisPort}`,
    databaseUrl: databaseUrl(s),
    otlpEndpoint: `http://127.0.0.1:${s.otlpHttpPort}`,
  };
}

/** The service layout: one order-service, and `consumerInstances` of each consumer service. */
export function serviceLayout(s: StackSettings): { service: ServiceInstance['service']; instanceId: string; port: number }[] {
  const consumers: [ConsumerService, number][] = [
    ['notification-service', s.consumerBasePorts.notification],
    ['analytics-service', s.consumerBasePorts.analytics],
    ['cache-refresh-service', s.consumerBasePorts.cacheRefresh],
  ];
  return [
    { service: 'order-service' as const, instanceId: 'order-service-1', port: s.orderServicePort },
    ...consumers.flatMap(([service, basePort]) =>
      Array.from({ length: s.consumerInstances }, (_, i) => ({ service, instanceId: `${service}-${i + 1}`, port: basePort + i })),
    ),
  ];
}

/** The environment of one instance: the same variable names as docker-compose.yml and the k8s manifests. */
export function serviceEnv(
  s: StackSettings,
  e: StackEndpoints,
  instance: { service: string; instanceId: string; port: number },
): Record<string, string> {
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(instance.port),
    KAFKA_BROKERS: e.kafkaBrokers,
    REDIS_URL: e.redisUrl,
    DATABASE_URL: e.databaseUrl,
    OTEL_SERVICE_NAME: instance.service,
    SERVICE_INSTANCE_ID: instance.instanceId,
    OTEL_EXPORTER_OTLP_ENDPOINT: e.otlpEndpoint,
    OTEL_SDK_DISABLED: String(!s.tracing),
    NODE_OPTIONS: `--max-old-space-size=${s.serviceHeapMb} --max-semi-space-size=${s.serviceSemiSpaceMb}`,
  };
}

/** The console's environment: Kafka to inspect, Jaeger's API for trees, notification's instances for the breaker. */
export function consoleEnv(s: StackSettings, e: StackEndpoints): Record<string, string> {
  const notification = serviceLayout(s).filter((i) => i.service === 'notification-service');
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(s.consolePort),
    KAFKA_BROKERS: e.kafkaBrokers,
    OTEL_SERVICE_NAME: 'console',
    SERVICE_INSTANCE_ID: 'console-1',
    JAEGER_QUERY_URL: `http://127.0.0.1:${s.jaegerUiPort}`,
    // Natively Jaeger serves a placeholder UI unless JAEGER_UI_ASSETS names a real build: links only then.
    JAEGER_UI_URL: process.env.JAEGER_UI_ASSETS ? `http://127.0.0.1:${s.jaegerUiPort}` : '',
    CONSOLE_BREAKER_URLS: notification.map((i) => `http://127.0.0.1:${i.port}`).join(','),
    NODE_OPTIONS: `--max-old-space-size=${s.serviceHeapMb} --max-semi-space-size=${s.serviceSemiSpaceMb}`,
  };
}

/** Starts the fan-out console once the services run, and waits until it reads the groups. */
export async function startConsole(s: StackSettings, e: StackEndpoints, supervisor: Supervisor): Promise<Supervised> {
  const consoleProcess = supervisor.start({
    name: 'console',
    command: process.execPath,
    args: ['--enable-source-maps', join(REPO_ROOT, 'apps', 'console', 'dist', 'main.js')],
    env: consoleEnv(s, e),
    tier: 1,
  });
  await waitFor('console', () => httpOk(`http://127.0.0.1:${s.consolePort}/health/ready`), {
    timeoutMs: 60_000,
    logPath: consoleProcess.logPath,
  });
  return consoleProcess;
}

export async function startServices(s: StackSettings, e: StackEndpoints, supervisor: Supervisor): Promise<ServiceInstance[]> {
  const instances = serviceLayout(s).map((instance) => ({
    ...instance,
    url: `http://127.0.0.1:${instance.port}`,
    process: supervisor.start({
      name: instance.instanceId,
      command: process.execPath,
      args: ['--enable-source-maps', join(REPO_ROOT, 'apps', instance.service, 'dist', 'main.js')],
      env: serviceEnv(s, e, instance),
      tier: 1,
    }),
  }));
  await Promise.all(
    instances.map((i) =>
      waitFor(`${i.instanceId} (port ${i.port})`, () => httpOk(`${i.url}/health/ready`), { timeoutMs: 60_000, logPath: i.process.logPath }),
    ),
  );
  return instances;
}

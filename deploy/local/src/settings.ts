import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Where the repository is: deploy/local/dist → ../../.. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

const int = (name: string, fallback: number): number => {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new Error(`${name} must be a positive integer, got "${value}"`);
  return parsed;
};

const ratio = (name: string, fallback: number): number => {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!(parsed >= 0 && parsed <= 1)) throw new Error(`${name} must be a number from 0 to 1, got "${value}"`);
  return parsed;
};

/** Every knob of the native stack; each is an environment variable with a default. */
export interface StackSettings {
  /** Process data and logs of this run: <stateDir>/<component>/, <stateDir>/logs/. */
  stateDir: string;
  /** Downloads and builds reused by every run: Kafka jars, the Jaeger binary. */
  cacheDir: string;
  /** Wipe the state directory first (tests do: their counts start from zero). */
  fresh: boolean;
  brokers: number;
  kafkaPort: number;
  kafkaHeapMb: number;
  partitions: number;
  redisPort: number;
  postgresPort: number;
  jaegerUiPort: number;
  otlpGrpcPort: number;
  otlpHttpPort: number;
  jaegerHealthPort: number;
  orderServicePort: number;
  /** The dev OAuth2 issuer (apps/dev-issuer) whose tokens the services accept. */
  issuerPort: number;
  /** The fan-out console (apps/console). */
  consolePort: number;
  /** Prometheus scraping every instance, where Debian's package can be had. */
  prometheusPort: number;
  /** Instances of each consumer service (one consumer group per service, its instances share the partitions). */
  consumerInstances: number;
  /** First HTTP port of each consumer service's instances: instance i listens on base + i. */
  consumerBasePorts: { notification: number; analytics: number; cacheRefresh: number };
  /** Start only the infrastructure (Kafka, Jaeger, Redis, PostgreSQL), not the services. */
  infraOnly: boolean;
  tracing: boolean;
  /**
   * Share of orders traced (OTEL_TRACES_SAMPLER_ARG of the parentbased_traceidratio sampler): decided once at
   * order-service, followed by every consumer. 1 for the demo, every order traceable; production uses far less.
   */
  traceSampling: number;
  /** V8 old-space limit of each service (NODE_OPTIONS=--max-old-space-size): bounds its memory like a container limit would. */
  serviceHeapMb: number;
  /**
   * V8 semi-space limit of order-service and the console (--max-semi-space-size). The young generation
   * holds two of them and, under load, grows to their limit: Node's default 16 MB makes 32 MB of mostly
   * garbage resident, and a request's garbage dies young in 8.
   */
  serviceSemiSpaceMb: number;
  /**
   * The consumers' semi-space limit: a batch in flight (hundreds of decoded records, the spans of its
   * sampled ones) outlived 8 MB semi-spaces and was promoted, so at sampling 0.05 they spent 20-30% more
   * CPU than with 16 (bench/README.md), for 16 MB more at peak.
   */
  consumerSemiSpaceMb: number;
}

export function settingsFromEnv(overrides: Partial<StackSettings> = {}): StackSettings {
  const stateDir = resolve(process.env.FANOUT_STATE_DIR ?? join(REPO_ROOT, '.fanout', 'local'));
  return {
    stateDir,
    cacheDir: resolve(process.env.FANOUT_CACHE_DIR ?? join(homedir(), '.cache', 'fanout')),
    fresh: process.env.FANOUT_FRESH === 'true',
    brokers: int('KAFKA_BROKER_COUNT', 1),
    kafkaPort: int('KAFKA_PORT', 9092),
    kafkaHeapMb: int('KAFKA_HEAP_MB', 512),
    partitions: int('ORDERS_PARTITIONS', 6),
    redisPort: int('REDIS_PORT', 6379),
    postgresPort: int('POSTGRES_PORT', 5432),
    jaegerUiPort: int('JAEGER_UI_PORT', 16686),
    otlpGrpcPort: int('OTLP_GRPC_PORT', 4317),
    otlpHttpPort: int('OTLP_HTTP_PORT', 4318),
    jaegerHealthPort: int('JAEGER_HEALTH_PORT', 13133),
    orderServicePort: int('ORDER_SERVICE_PORT', 3000),
    consolePort: int('CONSOLE_PORT', 3400),
    issuerPort: int('OAUTH_ISSUER_PORT', 3900),
    prometheusPort: int('PROMETHEUS_PORT', 9090),
    consumerInstances: int('CONSUMER_INSTANCES', 2),
    consumerBasePorts: {
      notification: int('NOTIFICATION_SERVICE_PORT', 3101),
      analytics: int('ANALYTICS_SERVICE_PORT', 3201),
      cacheRefresh: int('CACHE_REFRESH_SERVICE_PORT', 3301),
    },
    infraOnly: process.env.FANOUT_INFRA_ONLY === 'true',
    tracing: process.env.OTEL_SDK_DISABLED !== 'true',
    traceSampling: ratio('OTEL_TRACES_SAMPLER_ARG', 1),
    serviceHeapMb: int('SERVICE_HEAP_MB', 128),
    serviceSemiSpaceMb: int('SERVICE_SEMI_SPACE_MB', 8),
    consumerSemiSpaceMb: int('CONSUMER_SEMI_SPACE_MB', 16),
    ...overrides,
  };
}

/** Client addresses of the brokers: node i listens on kafkaPort + 2i, its controller on the port after. */
export function kafkaBootstrap(s: StackSettings): string {
  return Array.from({ length: s.brokers }, (_, i) => `127.0.0.1:${s.kafkaPort + 2 * i}`).join(',');
}

export const logDir = (s: StackSettings): string => join(s.stateDir, 'logs');

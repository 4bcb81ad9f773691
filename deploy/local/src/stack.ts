import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { issuerUrl, startDevIssuer } from './components/dev-issuer';
import { startJaeger } from './components/jaeger';
import { startKafka } from './components/kafka';
import { startPostgres } from './components/postgres';
import { startPrometheus } from './components/prometheus';
import { startRedis } from './components/redis';
import { installPrerequisites } from './prerequisites';
import { endpoints, startConsole, startServices, type ServiceInstance, type StackEndpoints } from './components/services';
import { logDir, settingsFromEnv, type StackSettings } from './settings';
import { Supervisor, type Supervised } from './supervisor';

export interface Stack {
  settings: StackSettings;
  endpoints: StackEndpoints;
  jaegerUrl: string;
  issuerUrl: string;
  orderServiceUrl: string;
  consoleUrl: string;
  services: ServiceInstance[];
  brokers: Supervised[];
  supervisor: Supervisor;
  logDir: string;
  stop(): Promise<void>;
}

/**
 * Brings the whole topology up natively: PostgreSQL, Redis, Jaeger, Kafka (topics created), then the
 * services. If any step fails, everything already started is stopped before the error is rethrown.
 */
export async function startStack(overrides: Partial<StackSettings> = {}, say: (line: string) => void = console.log): Promise<Stack> {
  const s = settingsFromEnv(overrides);
  // Reap first: a fresh start wipes the state directory, and with it the record of what a killed run left running.
  new Supervisor(logDir(s)).reapLeftovers();
  if (s.fresh) rmSync(s.stateDir, { recursive: true, force: true });
  const supervisor = new Supervisor(logDir(s));
  await assertPortsFree(s);
  try {
    const timed = async <T>(what: string, step: () => Promise<T>): Promise<T> => {
      const started = Date.now();
      const result = await step();
      say(`✓ ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      return result;
    };
    const installed = await timed('prerequisites installed', () => installPrerequisites(s, say));
    await timed(`PostgreSQL on 127.0.0.1:${s.postgresPort}`, () => startPostgres(s, supervisor, installed.postgresBin, say));
    await timed(`Redis on 127.0.0.1:${s.redisPort}`, () => startRedis(s, supervisor));
    await timed(`Jaeger (UI/API :${s.jaegerUiPort}, OTLP :${s.otlpGrpcPort}/:${s.otlpHttpPort})`, () =>
      startJaeger(s, supervisor, installed.jaegerBinary),
    );
    const kafka = await timed(`Kafka, ${s.brokers} broker(s), topics created`, () => startKafka(s, supervisor, installed.kafkaLibs));
    await timed(`dev OAuth2 issuer on :${s.issuerPort}`, () => startDevIssuer(s, supervisor));
    const e = endpoints(s, kafka.bootstrap);
    const services = s.infraOnly ? [] : await timed('services', () => startServices(s, e, supervisor));
    if (!s.infraOnly) {
      await timed(`console on :${s.consolePort}`, () => startConsole(s, e, supervisor));
      const targets = [
        ...services.map((i) => ({ service: i.service as string, port: i.port })),
        { service: 'console', port: s.consolePort },
      ];
      await timed(`Prometheus on :${s.prometheusPort}`, () => startPrometheus(s, supervisor, targets, say));
    }
    return {
      settings: s,
      endpoints: e,
      jaegerUrl: `http://127.0.0.1:${s.jaegerUiPort}`,
      issuerUrl: issuerUrl(s),
      orderServiceUrl: `http://127.0.0.1:${s.orderServicePort}`,
      consoleUrl: `http://127.0.0.1:${s.consolePort}`,
      services,
      brokers: kafka.brokers,
      supervisor,
      logDir: logDir(s),
      stop: () => supervisor.stopAll(),
    };
  } catch (error) {
    await supervisor.stopAll();
    throw error;
  }
}

/** Fails early, and clearly, when another process (an earlier stack?) holds one of our ports. */
async function assertPortsFree(s: StackSettings): Promise<void> {
  const ports = [
    s.postgresPort,
    s.redisPort,
    s.jaegerUiPort,
    s.otlpGrpcPort,
    s.otlpHttpPort,
    s.jaegerHealthPort,
    s.issuerPort,
    ...Array.from({ length: 2 * s.brokers }, (_, i) => s.kafkaPort + i),
  ];
  if (!s.infraOnly) {
    ports.push(s.orderServicePort, s.consolePort, s.prometheusPort);
    for (const base of Object.values(s.consumerBasePorts)) for (let i = 0; i < s.consumerInstances; i++) ports.push(base + i);
  }
  for (const port of ports) {
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer().once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (!free) throw new Error(`port ${port} is already in use on 127.0.0.1 — is another Fanout stack running?`);
  }
}

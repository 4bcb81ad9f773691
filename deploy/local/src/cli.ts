#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { CONSUMER_GROUPS, ORDERS_TOPIC } from '@fanout/contracts';
import { createKafka, kafkaConnectionFromEnv, replayDeadLetters, type KafkaConnection } from '@fanout/messaging';
import { kafkaCredentials } from './components/kafka-principals';
import { secretsDir } from './components/secrets';
import { restartOnExit } from './restart-policy';
import { kafkaBootstrap, logDir, settingsFromEnv, type StackSettings } from './settings';
import { startStack } from './stack';
import { Supervisor } from './supervisor';

const GROUPS = Object.values(CONSUMER_GROUPS);

const USAGE = `usage:
  fanout-stack up [--brokers N] [--instances N] [--fresh] [--infra-only]
      starts everything natively; Ctrl-C stops it all
        --brokers N     Kafka nodes (default ${settingsFromEnv().brokers}; 3 gives replication factor 3)
        --instances N   instances of each consumer service (default ${settingsFromEnv().consumerInstances})
        --fresh         wipe the state directory (.fanout/local) first
        --infra-only    only Kafka, Jaeger, Redis and PostgreSQL
  fanout-stack dlq list|replay --group ${GROUPS.join('|')}
      lists a group's dead letters not yet replayed, or re-publishes them to its retry topic
  fanout-stack --help`;

class UsageError extends Error {}

function positiveInt(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${flag} takes a positive integer, got "${value}"`);
  return n;
}

/** parseArgs is strict: an unknown flag or a missing value throws, naming it; that is a usage error. */
function parsed<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

async function main(argv: string[]): Promise<void> {
  const [command = 'up', ...rest] = argv;
  if (command === '--help' || command === '-h') return void console.log(USAGE);
  if (command === 'dlq') return deadLetters(rest);
  if (command !== 'up') throw new UsageError(`unknown command "${command}"`);
  const options = {
    ...HELP,
    brokers: { type: 'string' },
    instances: { type: 'string' },
    fresh: { type: 'boolean' },
    'infra-only': { type: 'boolean' },
  } as const;
  const { values, positionals } = parsed(() => parseArgs({ args: rest, options, allowPositionals: true }));
  if (values.help) return void console.log(USAGE);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const overrides: Partial<StackSettings> = {};
  const brokers = positiveInt('brokers', values.brokers);
  const instances = positiveInt('instances', values.instances);
  if (brokers) overrides.brokers = brokers;
  if (instances) overrides.consumerInstances = instances;
  if (values.fresh) overrides.fresh = true;
  if (values['infra-only']) overrides.infraOnly = true;
  await up(overrides);
}

async function up(overrides: Partial<StackSettings>): Promise<void> {
  // A signal during start-up kills what has started so far; once up, a signal stops it all cleanly.
  const abortStartup = () => {
    console.log('\ninterrupted during start-up: killing what has started…');
    new Supervisor(logDir(settingsFromEnv(overrides))).reapLeftovers();
    process.exit(130);
  };
  process.once('SIGINT', abortStartup).once('SIGTERM', abortStartup);
  const stack = await startStack(overrides);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping every process of the stack…`);
    await stack.stop();
    console.log('stopped.');
    process.exit(0);
  };
  process.off('SIGINT', abortStartup).off('SIGTERM', abortStartup);
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  restartOnExit(
    stack.supervisor,
    () => stopping,
    (line) => console.error(line),
  );
  console.log(`
Fanout is up.
  console         ${stack.consoleUrl}   (the fan-out, live: groups, partitions, lag, each order's tree)
  order-service   ${stack.orderServiceUrl}   (POST /orders, GET /orders/:id, /docs, /health/live, /health/ready)
  instances       ${stack.services
    .filter((s) => s.service !== 'order-service')
    .map((s) => `${s.instanceId} :${s.port}`)
    .join(', ')}
  Kafka           ${stack.endpoints.kafkaBrokers}
  Jaeger          ${stack.jaegerUrl}  (API: /api/traces/<traceId>)
  Prometheus      http://127.0.0.1:${stack.settings.prometheusPort}  (every instance's /metrics, if Debian's package could be had)
  logs            ${stack.logDir}/<process>.log
  passwords       ${secretsDir(stack.settings)}/  (one file each: kafka-<principal>, redis-<user>, postgres-<role>)
A process that exits is restarted (with backoff, 5 times at most). Ctrl-C stops everything.`);
}

/**
 * `fanout-stack dlq list|replay --group <group>`: lists a group's dead letters not yet replayed, or
 * re-publishes them to the group's retry topic after a fix (KAFKA_BROKERS, default 127.0.0.1:9092).
 */
async function deadLetters(args: string[]): Promise<void> {
  const options = { ...HELP, group: { type: 'string' } } as const;
  const { values, positionals } = parsed(() => parseArgs({ args, options, allowPositionals: true }));
  if (values.help) return void console.log(USAGE);
  const [action, ...extra] = positionals;
  const { group } = values;
  if (action !== 'list' && action !== 'replay')
    throw new UsageError(`dlq takes "list" or "replay", got ${action ? `"${action}"` : 'nothing'}`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if (!group || !GROUPS.includes(group as never))
    throw new UsageError(`--group must be one of ${GROUPS.join(', ')}${group ? `, got "${group}"` : ''}`);
  const kafka = createKafka(dlqConnection());
  const letters = await replayDeadLetters(kafka, ORDERS_TOPIC, group, { dryRun: action === 'list' });
  for (const l of letters) {
    console.log(
      `${l.partition}@${l.offset}  key=${l.key ?? '-'}  from ${l.origin}  ${l.reason} after ${l.attempts} deliveries: ${l.error}`,
    );
  }
  console.log(
    action === 'list'
      ? `${letters.length} dead letter(s) of group "${group}" not yet replayed (nothing changed)`
      : `replayed ${letters.length} dead letter(s) to ${group}'s retry topic`,
  );
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`fanout-stack: ${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

/**
 * The replay tool's own principal: KAFKA_SASL_USERNAME/_PASSWORD when set (any deployment), else the
 * native stack's `dlq-replay` credentials from its state directory.
 */
function dlqConnection(): KafkaConnection {
  const stack = settingsFromEnv();
  const { KAFKA_BROKERS = kafkaBootstrap(stack), KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD } = process.env;
  const connection = kafkaConnectionFromEnv({ KAFKA_BROKERS, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD }, 'fanout-dlq');
  return connection.credentials ? connection : { ...connection, credentials: kafkaCredentials(stack, 'dlq-replay') };
}

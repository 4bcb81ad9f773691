#!/usr/bin/env node
import { CONSUMER_GROUPS, ORDERS_TOPIC } from '@fanout/contracts';
import { createKafka, parseBrokers, replayDeadLetters } from '@fanout/messaging';
import { logDir, settingsFromEnv } from './settings';
import { startStack } from './stack';
import { Supervisor } from './supervisor';

/**
 * `fanout-stack up [--brokers N] [--instances N] [--fresh] [--infra-only]`: starts everything, prints
 * where to look, and stops it all on Ctrl-C / SIGTERM.
 */
async function main(argv: string[]): Promise<void> {
  const [command = 'up', ...flags] = argv;
  if (command === 'dlq') return deadLetters(flags);
  if (command !== 'up') throw new Error(`unknown command "${command}"; usage: fanout-stack up|dlq …`);
  const flag = (name: string) => {
    const i = flags.indexOf(name);
    return i >= 0 ? Number(flags[i + 1]) : undefined;
  };
  // A signal during start-up kills what has started so far; once up, a signal stops it all cleanly.
  const abortStartup = () => {
    console.log('\ninterrupted during start-up: killing what has started…');
    new Supervisor(logDir(settingsFromEnv())).reapLeftovers();
    process.exit(130);
  };
  process.once('SIGINT', abortStartup).once('SIGTERM', abortStartup);
  const stack = await startStack({
    ...(flag('--brokers') ? { brokers: flag('--brokers') } : {}),
    ...(flag('--instances') ? { consumerInstances: flag('--instances') } : {}),
    ...(flags.includes('--fresh') ? { fresh: true } : {}),
    ...(flags.includes('--infra-only') ? { infraOnly: true } : {}),
  });
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
  for (const p of stack.supervisor.running) {
    void p.exited.then((code) => {
      if (!stopping) console.error(`! ${p.name} exited (code ${code}); see ${p.logPath}`);
    });
  }
  console.log(`
Fanout is up.
  order-service   ${stack.orderServiceUrl}   (POST /orders, GET /orders/:id, /docs, /health)
  instances       ${stack.services.filter((s) => s.service !== 'order-service').map((s) => `${s.instanceId} :${s.port}`).join(', ')}
  Kafka           ${stack.endpoints.kafkaBrokers}
  Jaeger          ${stack.jaegerUrl}  (API: /api/traces/<traceId>)
  logs            ${stack.logDir}/<process>.log
Ctrl-C stops everything.`);
}

/**
 * `fanout-stack dlq list|replay --group <group>`: lists a group's dead letters not yet replayed, or
 * re-publishes them to the group's retry topic after a fix (KAFKA_BROKERS, default 127.0.0.1:9092).
 */
async function deadLetters([action, ...flags]: string[]): Promise<void> {
  const groupIndex = flags.indexOf('--group');
  const group = groupIndex >= 0 ? flags[groupIndex + 1] : undefined;
  if ((action !== 'list' && action !== 'replay') || !group || !Object.values(CONSUMER_GROUPS).includes(group as never)) {
    throw new Error(`usage: fanout-stack dlq list|replay --group ${Object.values(CONSUMER_GROUPS).join('|')}`);
  }
  const kafka = createKafka({ brokers: parseBrokers(process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'), clientId: 'fanout-dlq' });
  const letters = await replayDeadLetters(kafka, ORDERS_TOPIC, group, { dryRun: action === 'list' });
  for (const l of letters) {
    console.log(`${l.partition}@${l.offset}  key=${l.key ?? '-'}  from ${l.origin}  ${l.reason} after ${l.attempts} deliveries: ${l.error}`);
  }
  console.log(action === 'list' ? `${letters.length} dead letter(s) of group "${group}" not yet replayed (nothing changed)` : `replayed ${letters.length} dead letter(s) to ${group}'s retry topic`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

import { Logger } from '@nestjs/common';
import { Kafka, logLevel, type KafkaConfig, type LogEntry } from 'kafkajs';
import { applyKafkajsFixes } from './kafkajs-fixes';

applyKafkajsFixes();

export interface KafkaConnection {
  /** Bootstrap servers, e.g. ["127.0.0.1:9092"]. */
  brokers: string[];
  clientId: string;
}

/** Parses KAFKA_BROKERS ("host:port,host:port"): the one variable every process uses to find Kafka. */
export function parseBrokers(value: string | undefined): string[] {
  const brokers = (value ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (brokers.length === 0) throw new Error('KAFKA_BROKERS is empty: set it to host:port[,host:port...]');
  return brokers;
}

const kafkajsLogger = new Logger('kafkajs');

/** kafkajs's own log lines, through Nest's logger: in a service, the same JSON lines as everything else. */
function logThroughNest(): (entry: LogEntry) => void {
  return ({ namespace, level, log: { message, ...extra } }) => {
    const line = `[${namespace}] ${message} ${JSON.stringify(extra)}`;
    if (level <= logLevel.ERROR) kafkajsLogger.error(line);
    else if (level === logLevel.WARN) kafkajsLogger.warn(line);
    else if (level === logLevel.INFO) kafkajsLogger.log(line);
    else kafkajsLogger.debug(line);
  };
}

export function createKafka({ brokers, clientId }: KafkaConnection, overrides: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.WARN,
    logCreator: logThroughNest,
    connectionTimeout: 3_000,
    retry: { initialRetryTime: 100, retries: 8, maxRetryTime: 5_000 },
    ...overrides,
  });
}

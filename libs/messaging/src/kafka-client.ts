import { Logger } from '@nestjs/common';
import { Kafka, logLevel, type KafkaConfig, type LogEntry } from 'kafkajs';
import { applyAdaptiveFetch } from './consumer/adaptive-fetch';
import { applyKafkajsFixes } from './kafkajs-fixes';
import { applyRecordDecoding } from './record-decoding';
import { applyRecordEncoding } from './record-encoding';

applyKafkajsFixes();
applyAdaptiveFetch();
applyRecordEncoding();
applyRecordDecoding();

export interface KafkaConnection {
  /** Bootstrap servers, e.g. ["127.0.0.1:9092"]. */
  brokers: string[];
  clientId: string;
  /** SASL/SCRAM-SHA-512 credentials of this client's principal; none for a broker without authentication. */
  credentials?: KafkaCredentials;
}

export interface KafkaCredentials {
  username: string;
  password: string;
}

/** The connection a process's environment describes: KAFKA_BROKERS, and KAFKA_SASL_USERNAME/_PASSWORD if set. */
export function kafkaConnectionFromEnv(
  env: { KAFKA_BROKERS: string; KAFKA_SASL_USERNAME?: string | undefined; KAFKA_SASL_PASSWORD?: string | undefined },
  clientId: string,
): KafkaConnection {
  const { KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = env;
  if (Boolean(username) !== Boolean(password))
    throw new Error('KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD go together: set both or neither');
  return { brokers: parseBrokers(env.KAFKA_BROKERS), clientId, ...(username && password ? { credentials: { username, password } } : {}) };
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

export function createKafka({ brokers, clientId, credentials }: KafkaConnection, overrides: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId,
    brokers,
    ...(credentials ? { sasl: { mechanism: 'scram-sha-512' as const, ...credentials } } : {}),
    logLevel: logLevel.WARN,
    logCreator: logThroughNest,
    connectionTimeout: 3_000,
    retry: { initialRetryTime: 100, retries: 8, maxRetryTime: 5_000 },
    ...overrides,
  });
}

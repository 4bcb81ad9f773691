import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONSOLE_GROUP_PREFIX, CONSUMER_GROUPS, CONSUMER_GROUP_IDS, ORDERS_TOPIC } from '@fanout/contracts';
import {
  consumerGroupGrants,
  deadLetterReplayGrants,
  inspectorGrants,
  parseBrokers,
  producerGrants,
  type AclGrant,
  type KafkaConnection,
  type KafkaCredentials,
} from '@fanout/messaging';
import { kafkaBootstrap, type StackSettings } from '../settings';
import { hasSecret, secret } from './secrets';

/** The super user: creates topics and ACLs; the tests and the benchmark use it too. */
export const KAFKA_ADMIN = 'admin';

/**
 * One principal per service (one per consumer group), the console and the dead-letter replay tool, and
 * what each may do: the least it needs. docker-compose.yml and the k8s KafkaUsers grant the same.
 */
export function kafkaGrants(): Record<string, AclGrant[]> {
  return {
    'order-service': producerGrants(ORDERS_TOPIC),
    'notification-service': consumerGroupGrants(ORDERS_TOPIC, CONSUMER_GROUPS.notification),
    'analytics-service': consumerGroupGrants(ORDERS_TOPIC, CONSUMER_GROUPS.analytics),
    'cache-refresh-service': consumerGroupGrants(ORDERS_TOPIC, CONSUMER_GROUPS.cacheRefresh),
    console: inspectorGrants(ORDERS_TOPIC, CONSOLE_GROUP_PREFIX),
    'dlq-replay': CONSUMER_GROUP_IDS.flatMap((group) => deadLetterReplayGrants(ORDERS_TOPIC, group)),
  };
}

export type KafkaPasswords = Record<string, string>;

/** Every principal of the stack's Kafka: the admin and those kafkaGrants() names. */
export const kafkaPrincipals = (): string[] => [KAFKA_ADMIN, ...Object.keys(kafkaGrants())];

/** The secret holding a principal's password (see secrets.ts). */
export const kafkaSecret = (principal: string): string => `kafka-${principal}`;

/** Every principal's password, made once per state directory. */
export function kafkaPasswords(s: StackSettings): KafkaPasswords {
  return Object.fromEntries(kafkaPrincipals().map((name) => [name, kafkaCredentials(s, name).password]));
}

export const hasKafkaPasswords = (s: StackSettings): boolean => hasSecret(s, kafkaSecret(KAFKA_ADMIN));

/** The credentials of one principal of this stack's Kafka. */
export function kafkaCredentials(s: StackSettings, principal: string): KafkaCredentials {
  if (!kafkaPrincipals().includes(principal)) throw new Error(`no Kafka principal "${principal}"`);
  return { username: principal, password: secret(s, kafkaSecret(principal)) };
}

/** A client of this stack's Kafka as its admin: the stack itself, the tests and the benchmark. */
export const adminKafkaConnection = (s: StackSettings, clientId: string): KafkaConnection => ({
  brokers: parseBrokers(kafkaBootstrap(s)),
  clientId,
  credentials: kafkaCredentials(s, KAFKA_ADMIN),
});

/**
 * A Java client's properties for the admin principal (Kafka's own tools: --command-config and the like),
 * written once per state directory beside the passwords it carries.
 */
export function adminClientProperties(s: StackSettings): string {
  const file = join(s.stateDir, 'kafka', 'admin-client.properties');
  if (existsSync(file)) return file;
  const { username, password } = kafkaCredentials(s, KAFKA_ADMIN);
  const jaas = `org.apache.kafka.common.security.scram.ScramLoginModule required username="${username}" password="${password}";`;
  writeFileSync(file, ['security.protocol=SASL_PLAINTEXT', 'sasl.mechanism=SCRAM-SHA-512', `sasl.jaas.config=${jaas}`, ''].join('\n'), {
    mode: 0o600,
  });
  return file;
}

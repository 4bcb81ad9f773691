import { createKafka, type Kafka, type KafkaConfig } from '@fanout/messaging';
import { adminDatabaseUrl, adminKafkaConnection, adminRedisUrl, serviceLayout, settingsFromEnv } from '@fanout/local-stack';

/** Where the suite's stack listens: the same settings global-setup started it with. */
export const settings = settingsFromEnv();
export const orderServiceUrl = `http://127.0.0.1:${settings.orderServicePort}`;
export const jaegerUrl = `http://127.0.0.1:${settings.jaegerUiPort}`;
export const consoleUrl = `http://127.0.0.1:${settings.consolePort}`;
/** Redis and PostgreSQL as their admins (passwords included): the tests read what every service wrote. */
export const redisUrl = adminRedisUrl(settings);
export const databaseUrl = adminDatabaseUrl(settings);
export const instances = serviceLayout(settings);

export const instanceUrl = (instanceId: string): string => {
  const instance = instances.find((i) => i.instanceId === instanceId);
  if (!instance) throw new Error(`no instance ${instanceId}`);
  return `http://127.0.0.1:${instance.port}`;
};

export function testKafka(overrides: Partial<KafkaConfig> = {}): Kafka {
  return createKafka(adminKafkaConnection(settings, 'e2e-tests'), overrides);
}

import { kafkaPrincipals, kafkaSecret } from './kafka-principals';
import { DATABASE_ADMIN, POSTGRES_ROLES, postgresSecret } from './postgres';
import { redisSecret, redisUsers } from './redis';

/**
 * Every secret a stack has: a password per Kafka principal, Redis user and PostgreSQL role, admins
 * included. docker-compose.yml makes the same files at first start, k8s keeps the same keys.
 */
export function stackSecretNames(): string[] {
  return [
    ...kafkaPrincipals().map(kafkaSecret),
    ...redisUsers().map(redisSecret),
    ...[DATABASE_ADMIN, ...Object.values(POSTGRES_ROLES)].map(postgresSecret),
  ];
}

import type { ConfigService } from '@nestjs/config';
import { createKafka, kafkaConnectionFromEnv, type Kafka } from '@fanout/messaging';
import type { BaseEnv } from './env';

/** The Kafka client of this service's principal: KAFKA_BROKERS, and its SASL credentials when set. */
export function kafkaFromConfig(config: ConfigService<BaseEnv, true>, clientId: string): Kafka {
  return createKafka(
    kafkaConnectionFromEnv(
      {
        KAFKA_BROKERS: config.get('KAFKA_BROKERS', { infer: true }),
        KAFKA_SASL_USERNAME: config.get('KAFKA_SASL_USERNAME', { infer: true }),
        KAFKA_SASL_PASSWORD: config.get('KAFKA_SASL_PASSWORD', { infer: true }),
      },
      clientId,
    ),
  );
}

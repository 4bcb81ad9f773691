/** Kafka topics and consumer groups: the names every service and script agrees on. */
export const ORDERS_TOPIC = 'orders';

export const CONSUMER_GROUPS = {
  notification: 'notification',
  analytics: 'analytics',
  cacheRefresh: 'cache-refresh',
} as const;

export type ConsumerGroupId = (typeof CONSUMER_GROUPS)[keyof typeof CONSUMER_GROUPS];

/** The dead-letter topic of one consumer group on one source topic. */
export function deadLetterTopic(topic: string, groupId: string): string {
  return `${topic}.dlq.${groupId}`;
}

/** The retry topic of one consumer group: failed records wait here, so they never block their partition. */
export function retryTopic(topic: string, groupId: string): string {
  return `${topic}.retry.${groupId}`;
}

/** Every topic the system uses: the orders topic, then each group's retry and dead-letter topics. */
export function allTopics(): string[] {
  const groups = Object.values(CONSUMER_GROUPS);
  return [ORDERS_TOPIC, ...groups.flatMap((g) => [retryTopic(ORDERS_TOPIC, g), deadLetterTopic(ORDERS_TOPIC, g)])];
}

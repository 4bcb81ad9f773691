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

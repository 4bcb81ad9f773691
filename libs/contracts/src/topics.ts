/** Kafka topics and consumer groups: the names every service and script agrees on. */
export const ORDERS_TOPIC = 'orders';

export const CONSUMER_GROUPS = {
  notification: 'notification',
  analytics: 'analytics',
  cacheRefresh: 'cache-refresh',
} as const;

export type ConsumerGroupId = (typeof CONSUMER_GROUPS)[keyof typeof CONSUMER_GROUPS];

/** The console follows the orders topic in a group of its own per instance: this prefix, then the instance id. */
export const CONSOLE_GROUP_PREFIX = 'fanout-console.';

/** Every group that reads the orders topic: with messaging's `topicsWithGroups`, the system's whole topic list. */
export const CONSUMER_GROUP_IDS: readonly ConsumerGroupId[] = Object.values(CONSUMER_GROUPS);

/** The dead-letter topic of one consumer group on one source topic. */
export function deadLetterTopic(topic: string, groupId: string): string {
  return `${topic}.dlq.${groupId}`;
}

/** The retry topic of one consumer group: failed records wait here, so they never block their partition. */
export function retryTopic(topic: string, groupId: string): string {
  return `${topic}.retry.${groupId}`;
}

/** Every topic a source topic needs with these consumer groups: itself, then each group's retry and dead-letter topics. */
export function topicsWithGroups(topic: string, groupIds: readonly string[]): string[] {
  return [topic, ...groupIds.flatMap((g) => [retryTopic(topic, g), deadLetterTopic(topic, g)])];
}

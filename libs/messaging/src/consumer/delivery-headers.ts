/** Where a record first appeared, kept by every retry and dead-letter hop. */
export const ORIGIN_HEADERS = {
  topic: 'fanout_origin_topic',
  partition: 'fanout_origin_partition',
  offset: 'fanout_origin_offset',
} as const;

/** A record on a retry topic: which delivery it will be, and not to be handled before when. */
export const RETRY_HEADERS = {
  attempt: 'retry_attempt',
  dueAt: 'retry_due_at',
} as const;

/** Headers a dead-lettered record carries besides its original ones and ORIGIN_HEADERS: why, where, how often. */
export const DEAD_LETTER_HEADERS = {
  reason: 'dlq_reason',
  error: 'dlq_error',
  group: 'dlq_group',
  attempts: 'dlq_attempts',
  failedAt: 'dlq_failed_at',
} as const;

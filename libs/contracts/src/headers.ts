/** Record headers: CloudEvents Kafka protocol binding (binary mode) plus W3C trace context. */
export const CE_HEADERS = {
  id: 'ce_id',
  type: 'ce_type',
  source: 'ce_source',
  specversion: 'ce_specversion',
  time: 'ce_time',
  contentType: 'content-type',
} as const;

export const CLOUDEVENTS_SPEC_VERSION = '1.0';

/** Headers a dead-lettered record carries besides its original ones: why, from where, after how many attempts. */
export const DEAD_LETTER_HEADERS = {
  reason: 'dlq_reason',
  error: 'dlq_error',
  topic: 'dlq_original_topic',
  partition: 'dlq_original_partition',
  offset: 'dlq_original_offset',
  group: 'dlq_group',
  attempts: 'dlq_attempts',
  failedAt: 'dlq_failed_at',
} as const;

/** Where the naive producer writes: its own topic, so its records never mix with the real events. */
export const NAIVE_TOPIC = 'bench.naive-orders';
/** The naive consumer's group, as Nest names it (the stock transport appends "-server"). */
export const NAIVE_GROUP = 'naive-analytics';
export const NAIVE_GROUP_AS_NAMED = `${NAIVE_GROUP}-server`;

/** The broker's SASL/SCRAM login, as a stock ClientKafka takes it (KAFKA_SASL_USERNAME/_PASSWORD). */
export function naiveSasl(): { sasl?: { mechanism: 'scram-sha-512'; username: string; password: string } } {
  const { KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = process.env;
  return username && password ? { sasl: { mechanism: 'scram-sha-512', username, password } } : {};
}

/** Where the naive producer writes: its own topic, so its records never mix with the real events. */
export const NAIVE_TOPIC = 'bench.naive-orders';
/** The naive consumer's group, as Nest names it (the stock transport appends "-server"). */
export const NAIVE_GROUP = 'naive-analytics';
export const NAIVE_GROUP_AS_NAMED = `${NAIVE_GROUP}-server`;

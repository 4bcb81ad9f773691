import { setTimeout as sleep } from 'node:timers/promises';
import { anOrderCreated, ORDER_CREATED, ORDERS_TOPIC, type OrderEventMap } from '@fanout/contracts';
import { EventPublisher, groupCommittedOffsets, topicEndOffsets, type Kafka, type OutgoingEvent } from '@fanout/messaging';

/**
 * Writes `count` OrderCreated events to the orders topic, exactly as order-service would (same
 * publisher, CloudEvents headers, keys), as fast as acks=all allows: the backlog the groups drain.
 */
export async function preloadOrders(kafka: Kafka, count: number, progress: (done: number) => void): Promise<void> {
  const publisher = new EventPublisher<OrderEventMap>(kafka, {
    source: '/bench',
    timeoutMs: 120_000,
    lingerMs: 5,
    maxBatchSize: 6_000,
    maxPending: 60_000,
  });
  await publisher.connect();
  try {
    const chunk = 30_000;
    for (let done = 0; done < count; done += chunk) {
      const size = Math.min(chunk, count - done);
      await Promise.all(Array.from({ length: size }, () => publisher.publish(orderCreatedEvent())));
      progress(done + size);
    }
  } finally {
    await publisher.disconnect();
  }
}

function orderCreatedEvent(): OutgoingEvent<OrderEventMap, typeof ORDER_CREATED> {
  const data = anOrderCreated();
  return { topic: ORDERS_TOPIC, key: data.orderId, type: ORDER_CREATED, data };
}

export interface DrainResult {
  group: string;
  events: number;
  /** From the first committed progress until the group's lag on the topic was 0. */
  seconds: number;
  eventsPerS: number;
  /** From the watch's start until the first commit: process start-up and group join. */
  startupS: number;
}

/** Sum of a topic's end offsets: every record ever written to it (topics here start at 0). */
async function endOffsetTotal(kafka: Kafka, topic: string): Promise<bigint> {
  return [...(await topicEndOffsets(kafka, topic)).values()].reduce((a, b) => a + b, 0n);
}

/** Sum of a group's committed offsets on a topic (an uncommitted partition counts from 0: topics here start at 0). */
async function committed(kafka: Kafka, group: string, topic: string): Promise<bigint> {
  const offsets = await groupCommittedOffsets(kafka, group, topic);
  return [...offsets.values()].reduce((sum, o) => sum + (o < 0n ? 0n : o), 0n);
}

/**
 * Polls each group's committed offsets until every group has caught up with the topic's end
 * offsets as they were when the watch began, and reports each group's rate.
 */
export async function watchDrain(
  kafka: Kafka,
  topic: string,
  groups: string[],
  { timeoutMs, say }: { timeoutMs: number; say: (line: string) => void },
): Promise<DrainResult[]> {
  const end = await endOffsetTotal(kafka, topic);
  const watchStart = Date.now();
  const state = new Map(
    groups.map((g) => [
      g,
      { first: undefined as undefined | { at: number; offset: bigint }, doneAt: undefined as number | undefined, start: -1n, last: 0n },
    ]),
  );
  for (const g of groups) state.get(g)!.start = await committed(kafka, g, topic);
  let lastReport = Date.now();
  while ([...state.values()].some((s) => s.doneAt === undefined)) {
    if (Date.now() - watchStart > timeoutMs) {
      const behind = [...state].filter(([, s]) => s.doneAt === undefined).map(([g, s]) => `${g} at ${s.last}/${end}`);
      throw new Error(`backlog not drained within ${timeoutMs / 1000} s: ${behind.join(', ')}`);
    }
    await sleep(250);
    for (const [group, s] of state) {
      if (s.doneAt !== undefined) continue;
      s.last = await committed(kafka, group, topic);
      const now = Date.now();
      if (!s.first && s.last > s.start) s.first = { at: now, offset: s.last };
      if (s.last >= end) s.doneAt = now;
    }
    if (Date.now() - lastReport > 5_000) {
      lastReport = Date.now();
      say(
        `  drain: ${[...state].map(([g, s]) => `${g} ${Math.round(Number(s.last - s.start) / 1000)}k/${Math.round(Number(end - s.start) / 1000)}k`).join(', ')}`,
      );
    }
  }
  return groups.map((group) => {
    const s = state.get(group)!;
    // A backlog drained between two polls has no measurable window after its first commit: time it from the start.
    const first = s.first && s.first.offset < end ? s.first : { at: watchStart, offset: s.start };
    const seconds = Math.max(0.001, (s.doneAt! - first.at) / 1000);
    return {
      group,
      events: Number(end - s.start),
      seconds,
      eventsPerS: Number(end - first.offset) / seconds,
      startupS: ((s.first?.at ?? s.doneAt!) - watchStart) / 1000,
    };
  });
}

/**
 * A group's consumption rate over a bounded window, for a consumer too slow to drain the whole
 * backlog in reasonable time: waits for its first commit, then measures `windowMs` of progress.
 */
export async function measureRate(
  kafka: Kafka,
  topic: string,
  group: string,
  windowMs: number,
): Promise<{ events: number; seconds: number; eventsPerS: number }> {
  const start = await committed(kafka, group, topic);
  const deadline = Date.now() + 120_000;
  let from = start;
  while (from === start) {
    if (Date.now() > deadline) throw new Error(`group ${group} committed nothing on ${topic} within 120 s`);
    await sleep(250);
    from = await committed(kafka, group, topic);
  }
  const startedAt = Date.now();
  await sleep(windowMs);
  const to = await committed(kafka, group, topic);
  const seconds = (Date.now() - startedAt) / 1000;
  return { events: Number(to - from), seconds, eventsPerS: Number(to - from) / seconds };
}

/** Waits until each group has caught up with the topic's current end (no backlog left). */
export async function waitCaughtUp(kafka: Kafka, topic: string, groups: string[], timeoutMs: number): Promise<void> {
  const end = await endOffsetTotal(kafka, topic);
  const deadline = Date.now() + timeoutMs;
  for (const group of groups) {
    while ((await committed(kafka, group, topic)) < end) {
      if (Date.now() > deadline) throw new Error(`group ${group} did not catch up with ${topic} within ${timeoutMs / 1000} s`);
      await sleep(250);
    }
  }
}

/** Events a group has not yet consumed from the topic. */
export async function lag(kafka: Kafka, topic: string, group: string): Promise<number> {
  const end = await endOffsetTotal(kafka, topic);
  return Number(end - (await committed(kafka, group, topic)));
}

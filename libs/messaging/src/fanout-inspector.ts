import { AssignerProtocol, type Consumer, type Kafka } from 'kafkajs';
import { PersistentAdmin } from './admin';
import { deadLetterTopic } from './topic-names';
import { uncommittedOffsets } from './consumer/lag-monitor';
import { replayGroupId } from './dead-letters';

export interface PartitionState {
  partition: number;
  /** The member's client id (a Fanout instance id) that owns it, if any. */
  owner: string | undefined;
  lag: number;
  committed: number;
}

export interface GroupState {
  groupId: string;
  /** The coordinator's word: Stable, PreparingRebalance, CompletingRebalance, Empty, Dead. */
  state: string;
  members: { instance: string; partitions: number[] }[];
  partitions: PartitionState[];
  /** Dead letters not yet replayed. */
  deadLetters: number;
}

/** A record of the topic as the console lists it: where it landed and which trace it belongs to. */
export interface TailedRecord {
  key: string | undefined;
  type: string | undefined;
  partition: number;
  offset: string;
  timestamp: number;
  traceId: string | undefined;
}

/** A tail is for eyes: a quarter of a second late is on time. */
const TAIL_FETCH_WAIT_MS = 250;
const TAIL_FETCH_MIN_BYTES = 256 * 1024;

/**
 * Kafka's view of each consumer group on a topic — members, who owns which partition, committed
 * offsets, lag, dead letters — for the fan-out console. One admin connection, reused.
 */
export class FanoutInspector {
  private readonly admin: PersistentAdmin;
  private tail: Consumer | undefined;

  constructor(private readonly kafka: Kafka) {
    this.admin = new PersistentAdmin(kafka);
  }

  async groups(topic: string, groupIds: string[]): Promise<GroupState[]> {
    const admin = await this.admin.get();
    const { groups } = await admin.describeGroups(groupIds);
    return Promise.all(
      groups.map(async (group) => {
        const members = group.members.map((m) => ({
          instance: m.clientId,
          partitions: (AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment[topic] ?? []).sort((a, b) => a - b),
        }));
        const owners = new Map(members.flatMap((m) => m.partitions.map((p) => [p, m.instance] as const)));
        const lag = await uncommittedOffsets(admin, group.groupId, topic);
        const dead = await uncommittedOffsets(admin, replayGroupId(group.groupId), deadLetterTopic(topic, group.groupId));
        return {
          groupId: group.groupId,
          state: group.state,
          members: members.sort((a, b) => a.instance.localeCompare(b.instance)),
          partitions: [...lag].map(([partition, { lag: l, committed }]) => ({
            partition,
            owner: owners.get(partition),
            lag: l,
            committed,
          })),
          deadLetters: [...dead.values()].reduce((sum, p) => sum + p.lag, 0),
        };
      }),
    );
  }

  /**
   * Follows the topic from its end, outside any consumer group's commits, handing each record to `onRecord`.
   * Its fetches wait up to TAIL_FETCH_WAIT_MS for records to gather (adaptive-fetch.ts: a quiet topic is
   * long-polled): answered at the first record, a tail of a busy topic fetched hundreds of times a second.
   */
  async follow(topic: string, groupId: string, onRecord: (record: TailedRecord) => void): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      minBytes: TAIL_FETCH_MIN_BYTES,
      maxWaitTimeInMs: TAIL_FETCH_WAIT_MS,
    });
    this.tail = consumer;
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: false });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) =>
        onRecord({
          key: message.key?.toString(),
          type: message.headers?.ce_type?.toString(),
          partition,
          offset: message.offset,
          timestamp: Number(message.timestamp),
          traceId: /^00-([0-9a-f]{32})-/.exec(message.headers?.traceparent?.toString() ?? '')?.[1],
        }),
    });
  }

  async close(): Promise<void> {
    await Promise.all([this.admin.close(), this.tail?.disconnect()]);
  }
}

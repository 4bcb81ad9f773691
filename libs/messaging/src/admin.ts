import { AssignerProtocol, type Admin, type Kafka } from 'kafkajs';

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  replicationFactor: number;
  configEntries?: { name: string; value: string }[];
}

/** Creates the topics that do not exist yet (topics are never auto-created here). */
export async function ensureTopics(kafka: Kafka, topics: TopicSpec[]): Promise<void> {
  await withAdmin(kafka, async (admin) => {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.topic));
    if (missing.length > 0) await admin.createTopics({ topics: missing, waitForLeaders: true });
  });
}

/** How many partitions a topic has (0 if it does not exist). */
export async function partitionCount(kafka: Kafka, topic: string): Promise<number> {
  return withAdmin(kafka, async (admin) => (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]?.partitions.length ?? 0);
}

/** True when every partition of every topic has a leader (a new topic on a fresh cluster may not yet). */
export async function topicsHaveLeaders(kafka: Kafka, topics: string[]): Promise<boolean> {
  return withAdmin(kafka, async (admin) => {
    const metadata = await admin.fetchTopicMetadata({ topics });
    return metadata.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
  });
}

/** Partitions assigned to each member of each group, as the group coordinator reports them. */
export interface GroupAssignment {
  groupId: string;
  state: string;
  members: { memberId: string; clientId: string; partitions: Record<string, number[]> }[];
}

export async function describeGroupAssignments(kafka: Kafka, groupIds: string[]): Promise<GroupAssignment[]> {
  return withAdmin(kafka, async (admin) => {
    const { groups } = await admin.describeGroups(groupIds);
    return groups.map((group) => ({
      groupId: group.groupId,
      state: group.state,
      members: group.members.map((member) => ({
        memberId: member.memberId,
        clientId: member.clientId,
        partitions: AssignerProtocol.MemberAssignment.decode(member.memberAssignment)?.assignment ?? {},
      })),
    }));
  });
}

/** The end offset (next offset to be written) of every partition of a topic. */
export async function topicEndOffsets(kafka: Kafka, topic: string): Promise<Map<number, bigint>> {
  return withAdmin(kafka, async (admin) => {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
  });
}

/** Committed offsets of a group on a topic, by partition (-1 when nothing was committed). */
export async function groupCommittedOffsets(kafka: Kafka, groupId: string, topic: string): Promise<Map<number, bigint>> {
  return withAdmin(kafka, async (admin) => {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map((entry?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
  });
}

export async function withAdmin<T>(kafka: Kafka, work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/** One admin connection opened on first use and kept, for code that asks Kafka every few seconds. */
export class PersistentAdmin {
  private admin: Admin | undefined;

  constructor(private readonly kafka: Kafka) {}

  async get(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }

  async close(): Promise<void> {
    await this.admin?.disconnect();
    this.admin = undefined;
  }
}

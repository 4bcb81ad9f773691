import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes, type Kafka } from 'kafkajs';
import { withAdmin } from './admin';
import { replayGroupId } from './dead-letters';
import { deadLetterTopic, retryTopic } from './topic-names';

export type AclOperation = 'Read' | 'Write' | 'Describe';

/** What one principal may do to one resource: the shape of a Strimzi KafkaUser's ACL, and of kafka-acls. */
export interface AclGrant {
  resource: { type: 'topic' | 'group' | 'cluster'; name: string; patternType: 'literal' | 'prefix' };
  operations: AclOperation[];
}

const topic = (name: string, ...operations: AclOperation[]): AclGrant => ({
  resource: { type: 'topic', name, patternType: 'literal' },
  operations,
});
const group = (name: string, ...operations: AclOperation[]): AclGrant => ({
  resource: { type: 'group', name, patternType: 'literal' },
  operations,
});

/** A producer of `source`: writes it (idempotently: Write implies it), and nothing else. */
export const producerGrants = (source: string): AclGrant[] => [topic(source, 'Write', 'Describe')];

/**
 * A consumer group's member: reads `source` in its own group, reads and writes its retry topic, writes its
 * dead-letter topic (and describes it, for the dead-letter count), and nothing of other groups.
 */
export const consumerGroupGrants = (source: string, groupId: string): AclGrant[] => [
  topic(source, 'Read', 'Describe'),
  topic(retryTopic(source, groupId), 'Read', 'Write', 'Describe'),
  topic(deadLetterTopic(source, groupId), 'Write', 'Describe'),
  group(groupId, 'Read', 'Describe'),
  // How far the replay tool got: the dead letters still pending, for the service's metrics.
  group(replayGroupId(groupId), 'Describe'),
];

/** The dead-letter replay tool for one group: reads the group's dead letters, writes its retry topic. */
export const deadLetterReplayGrants = (source: string, groupId: string): AclGrant[] => [
  topic(deadLetterTopic(source, groupId), 'Read', 'Describe'),
  topic(retryTopic(source, groupId), 'Write', 'Describe'),
  group(replayGroupId(groupId), 'Read', 'Describe'),
];

/**
 * An inspector (the console): describes every topic and group, and follows `source` in groups of its own
 * (named `<groupPrefix><instance>`), writing nothing.
 */
export const inspectorGrants = (source: string, groupPrefix: string): AclGrant[] => [
  topic('*', 'Describe'),
  group('*', 'Describe'),
  topic(source, 'Read'),
  { resource: { type: 'group', name: groupPrefix, patternType: 'prefix' }, operations: ['Read'] },
  { resource: { type: 'cluster', name: 'kafka-cluster', patternType: 'literal' }, operations: ['Describe'] },
];

const RESOURCE = { topic: AclResourceTypes.TOPIC, group: AclResourceTypes.GROUP, cluster: AclResourceTypes.CLUSTER } as const;
const OPERATION = { Read: AclOperationTypes.READ, Write: AclOperationTypes.WRITE, Describe: AclOperationTypes.DESCRIBE } as const;

/** Creates the ALLOW bindings of each principal's grants (idempotent: an existing binding stays as it is). */
export async function applyAcls(kafka: Kafka, grantsByPrincipal: Record<string, AclGrant[]>): Promise<void> {
  const acl = Object.entries(grantsByPrincipal).flatMap(([principal, grants]) =>
    grants.flatMap(({ resource, operations }) =>
      operations.map((operation) => ({
        resourceType: RESOURCE[resource.type],
        resourceName: resource.name,
        resourcePatternType: resource.patternType === 'prefix' ? ResourcePatternTypes.PREFIXED : ResourcePatternTypes.LITERAL,
        principal: `User:${principal}`,
        host: '*',
        operation: OPERATION[operation],
        permissionType: AclPermissionTypes.ALLOW,
      })),
    ),
  );
  await withAdmin(kafka, (admin) => admin.createAcls({ acl }));
}

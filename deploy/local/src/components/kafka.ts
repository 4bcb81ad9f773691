import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  applyAcls,
  createKafka,
  ensureTopics,
  logLevel,
  topicsHaveLeaders,
  topicsWithGroups,
  type KafkaConnection,
} from '@fanout/messaging';
import { CONSUMER_GROUP_IDS, ORDERS_TOPIC } from '@fanout/contracts';
import { ensureDebianPackages, installStep, onPath, run, runAsync } from '../install';
import { kafkaBootstrap, REPO_ROOT, type StackSettings } from '../settings';
import type { Supervised, Supervisor } from '../supervisor';
import { waitFor } from '../wait';
import { adminKafkaConnection, hasKafkaPasswords, KAFKA_ADMIN, kafkaGrants, kafkaPasswords } from './kafka-principals';

/** The Kafka version the stack runs; kafkajs 2.2.4 is known to speak all of its APIs (see README). */
export const KAFKA_VERSION = '4.3.1';

/** Log4j 2 configurations (Kafka 4): the brokers log INFO to their log file; the CLI tools keep stdout for results. */
const BROKER_LOGGING = join(REPO_ROOT, 'deploy', 'local', 'kafka', 'log4j2.properties');
const TOOLS_LOGGING = join(REPO_ROOT, 'deploy', 'local', 'kafka', 'tools-log4j2.properties');

/**
 * Resolves a Kafka artifact and its runtime dependencies from Maven Central into the cache, once:
 * `kafka_2.13` is the broker; `kafka-tools` holds Kafka's own CLI tools (consumer groups, perf tools),
 * kept on a classpath of their own because they pull in far more.
 */
async function installKafkaArtifact(
  s: StackSettings,
  artifact: 'kafka_2.13' | 'kafka-tools',
  say: (line: string) => void,
): Promise<string> {
  const libs = join(s.cacheDir, `${artifact}-${KAFKA_VERSION}`, 'libs');
  if (existsSync(join(libs, `${artifact}-${KAFKA_VERSION}.jar`))) return libs;
  ensureDebianPackages(['maven'], () => onPath('mvn'), say);
  await installStep(`resolving ${artifact} ${KAFKA_VERSION} from Maven Central`, say, () =>
    runAsync(
      'mvn',
      [
        '-q',
        '-B',
        'dependency:copy-dependencies',
        '-DincludeScope=runtime',
        `-Dkafka.version=${KAFKA_VERSION}`,
        `-Dkafka.artifact=${artifact}`,
        `-DoutputDirectory=${libs}`,
      ],
      {
        cwd: join(REPO_ROOT, 'deploy', 'local', 'kafka'),
      },
    ),
  );
  return libs;
}

export const installKafka = (s: StackSettings, say: (line: string) => void) => installKafkaArtifact(s, 'kafka_2.13', say);
export const installKafkaTools = (s: StackSettings, say: (line: string) => void) => installKafkaArtifact(s, 'kafka-tools', say);

/** Runs one of Kafka's own tools (e.g. ConsumerGroupCommand, ProducerPerformance) from the kafka-tools classpath. */
export function runKafkaTool(toolLibs: string, mainClass: string, args: string[]): Promise<string> {
  return runAsync('java', ['-Xmx512m', `-Dlog4j2.configurationFile=${TOOLS_LOGGING}`, '-cp', `${toolLibs}/*`, mainClass, ...args], {
    timeoutMs: 300_000,
  });
}

interface KafkaNode {
  id: number;
  clientPort: number;
  controllerPort: number;
  dir: string;
}

function nodes(s: StackSettings): KafkaNode[] {
  return Array.from({ length: s.brokers }, (_, i) => ({
    id: i + 1,
    clientPort: s.kafkaPort + 2 * i,
    controllerPort: s.kafkaPort + 2 * i + 1,
    dir: join(s.stateDir, 'kafka', `node-${i + 1}`),
  }));
}

/**
 * One combined broker+controller per node (KRaft, static quorum), replication up to 3. Clients and
 * brokers authenticate with SASL/SCRAM-SHA-512 (credentials formatted into the metadata), controllers
 * with SASL/PLAIN as the admin (SCRAM lives in the metadata the controllers serve); the StandardAuthorizer
 * denies whatever no ACL allows, and only the admin is a super user.
 */
function serverProperties(s: StackSettings, node: KafkaNode, all: KafkaNode[], adminPassword: string): string {
  const replication = Math.min(3, s.brokers);
  const minIsr = replication >= 3 ? 2 : 1;
  const admin = `username="${KAFKA_ADMIN}" password="${adminPassword}"`;
  return [
    'process.roles=broker,controller',
    `node.id=${node.id}`,
    `controller.quorum.voters=${all.map((n) => `${n.id}@127.0.0.1:${n.controllerPort}`).join(',')}`,
    `listeners=SASL_PLAINTEXT://127.0.0.1:${node.clientPort},CONTROLLER://127.0.0.1:${node.controllerPort}`,
    `advertised.listeners=SASL_PLAINTEXT://127.0.0.1:${node.clientPort}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=SASL_PLAINTEXT',
    'listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT',
    'sasl.enabled.mechanisms=SCRAM-SHA-512',
    'sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512',
    `listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required ${admin};`,
    'sasl.mechanism.controller.protocol=PLAIN',
    'listener.name.controller.sasl.enabled.mechanisms=PLAIN',
    `listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required ${admin} user_${KAFKA_ADMIN}="${adminPassword}";`,
    'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    `super.users=User:${KAFKA_ADMIN}`,
    'allow.everyone.if.no.acl.found=false',
    `log.dirs=${join(node.dir, 'data')}`,
    'auto.create.topics.enable=false',
    `num.partitions=${s.partitions}`,
    `default.replication.factor=${replication}`,
    `min.insync.replicas=${minIsr}`,
    `offsets.topic.replication.factor=${replication}`,
    'offsets.topic.num.partitions=12',
    `transaction.state.log.replication.factor=${replication}`,
    `transaction.state.log.min.isr=${minIsr}`,
    `share.coordinator.state.topic.replication.factor=${replication}`,
    `share.coordinator.state.topic.min.isr=${minIsr}`,
    'group.initial.rebalance.delay.ms=0',
    'num.network.threads=2',
    'num.io.threads=4',
    '',
  ].join('\n');
}

/** A random Kafka cluster id: a base64url UUID that, like Kafka's own, never starts with "-" (it would read as a flag). */
function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

export interface KafkaCluster {
  bootstrap: string;
  brokers: Supervised[];
}

export async function startKafka(s: StackSettings, supervisor: Supervisor, libs: string): Promise<KafkaCluster> {
  const classpath = `${libs}/*`;
  const all = nodes(s);
  const clusterIdFile = join(s.stateDir, 'kafka', 'cluster-id');
  mkdirSync(join(s.stateDir, 'kafka'), { recursive: true });
  if (!existsSync(clusterIdFile)) writeFileSync(clusterIdFile, newClusterId());
  const clusterId = readFileSync(clusterIdFile, 'utf8').trim();
  if (existsSync(join(all[0]!.dir, 'data', 'meta.properties')) && !hasKafkaPasswords(s)) {
    throw new Error(`Kafka's data in ${s.stateDir} predates its SASL principals: start once with --fresh`);
  }
  const passwords = kafkaPasswords(s);
  const scram = Object.entries(passwords).flatMap(([name, password]) => [
    '--add-scram',
    `SCRAM-SHA-512=[name=${name},password=${password}]`,
  ]);

  const brokers: Supervised[] = [];
  for (const node of all) {
    mkdirSync(join(node.dir, 'data'), { recursive: true });
    const props = join(node.dir, 'server.properties');
    writeFileSync(props, serverProperties(s, node, all, passwords[KAFKA_ADMIN]!), { mode: 0o600 });
    if (!existsSync(join(node.dir, 'data', 'meta.properties'))) {
      run('java', [
        '-cp',
        classpath,
        `-Dlog4j2.configurationFile=${TOOLS_LOGGING}`,
        'kafka.tools.StorageTool',
        'format',
        `--cluster-id=${clusterId}`,
        '-c',
        props,
        ...scram,
      ]);
    }
    brokers.push(
      supervisor.start({
        name: `kafka-${node.id}`,
        command: 'java',
        args: [
          `-Xms${Math.min(256, s.kafkaHeapMb)}m`,
          `-Xmx${s.kafkaHeapMb}m`,
          '-XX:+UseG1GC',
          '-XX:MaxGCPauseMillis=20',
          '-Djava.awt.headless=true',
          `-Dlog4j2.configurationFile=${BROKER_LOGGING}`,
          '-cp',
          classpath,
          'kafka.Kafka',
          props,
        ],
      }),
    );
  }

  const bootstrap = kafkaBootstrap(s);
  const asAdmin = adminKafkaConnection(s, 'fanout-stack');
  // Quiet and without retries: refused connections are expected until the brokers listen.
  const probe = createKafka(asAdmin, { logLevel: logLevel.NOTHING, retry: { retries: 0 } });
  await waitFor(
    `Kafka (${s.brokers} broker${s.brokers > 1 ? 's' : ''})`,
    async () => {
      const admin = probe.admin();
      await admin.connect();
      try {
        return (await admin.describeCluster()).brokers.length === s.brokers;
      } finally {
        await admin.disconnect();
      }
    },
    { timeoutMs: 90_000, logPath: brokers[0]?.logPath, intervalMs: 500 },
  );
  await createTopics(s, asAdmin);
  await applyAcls(createKafka(asAdmin, { logLevel: logLevel.NOTHING }), kafkaGrants());
  return { bootstrap, brokers };
}

/** The orders topic and each group's retry and dead-letter topics, created explicitly (auto-creation is off). */
async function createTopics(s: StackSettings, asAdmin: KafkaConnection): Promise<void> {
  const replicationFactor = Math.min(3, s.brokers);
  const kafka = createKafka(asAdmin, { logLevel: logLevel.NOTHING });
  // A just-formed cluster may still be electing leaders: creating is idempotent, so retry until all have one.
  await waitFor(
    'Kafka topics with a leader for every partition',
    async () => {
      await ensureTopics(
        kafka,
        topicsWithGroups(ORDERS_TOPIC, CONSUMER_GROUP_IDS).map((topic) => ({ topic, numPartitions: s.partitions, replicationFactor })),
      );
      return topicsHaveLeaders(kafka, topicsWithGroups(ORDERS_TOPIC, CONSUMER_GROUP_IDS));
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  );
}

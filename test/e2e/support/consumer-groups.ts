import { adminClientProperties, installKafkaTools, kafkaBootstrap, runKafkaTool } from '@fanout/local-stack';
import { settings } from './env';

/** One partition's line of `kafka-consumer-groups --describe`. */
export interface GroupPartition {
  topic: string;
  partition: number;
  currentOffset: number | undefined;
  logEndOffset: number;
  lag: number | undefined;
  consumerId: string | undefined;
  /** The member's client id: a Fanout instance id (SERVICE_INSTANCE_ID). */
  clientId: string | undefined;
}

const CONSUMER_GROUP_COMMAND = 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand';

let toolLibs: Promise<string> | undefined;

/** kafka-tools, resolved from Maven Central into the suite's cache once (the first time, this takes a minute or so). */
export const kafkaToolsInstalled = (): Promise<string> => (toolLibs ??= installKafkaTools(settings, (line) => console.log(`  ${line}`)));

/** Kafka's own view of a group, from its ConsumerGroupCommand. */
export async function describeGroupWithKafkaTool(group: string): Promise<GroupPartition[]> {
  const libs = await kafkaToolsInstalled();
  const output = await runKafkaTool(libs, CONSUMER_GROUP_COMMAND, [
    '--bootstrap-server',
    kafkaBootstrap(settings),
    '--command-config',
    adminClientProperties(settings),
    '--describe',
    '--group',
    group,
  ]);
  return parseGroupDescription(output);
}

/** Parses the table under the header "GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID …". */
export function parseGroupDescription(output: string): GroupPartition[] {
  const lines = output.split('\n').map((l) => l.trim().split(/\s+/));
  const header = lines.findIndex((cells) => cells[0] === 'GROUP' && cells.includes('LOG-END-OFFSET'));
  if (header < 0) throw new Error(`no group table in ConsumerGroupCommand output:\n${output.slice(-1_000)}`);
  const column = (name: string) => lines[header]!.indexOf(name);
  const value = (cells: string[], name: string) => (cells[column(name)] === '-' ? undefined : cells[column(name)]);
  const number = (cells: string[], name: string) => (value(cells, name) === undefined ? undefined : Number(value(cells, name)));
  return lines
    .slice(header + 1)
    .filter((cells) => cells.length >= lines[header]!.length - 2 && /^\d+$/.test(cells[column('PARTITION')] ?? ''))
    .map((cells) => ({
      topic: cells[column('TOPIC')]!,
      partition: Number(cells[column('PARTITION')]),
      currentOffset: number(cells, 'CURRENT-OFFSET'),
      logEndOffset: Number(cells[column('LOG-END-OFFSET')]),
      lag: number(cells, 'LAG'),
      consumerId: value(cells, 'CONSUMER-ID'),
      clientId: value(cells, 'CLIENT-ID'),
    }));
}

import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ensureDebianPackages, onPath, run } from './install';
import { REPO_ROOT, settingsFromEnv } from './settings';

/** The Strimzi operator release deploy/k8s targets; deploy/README.md installs exactly this one. */
export const STRIMZI_VERSION = '1.2.0';

/** The custom resources deploy/k8s may use, and their classes in Strimzi's API model (io.strimzi:api). */
const MODEL_CLASSES = {
  Kafka: 'io.strimzi.api.kafka.model.kafka.Kafka',
  KafkaNodePool: 'io.strimzi.api.kafka.model.nodepool.KafkaNodePool',
  KafkaTopic: 'io.strimzi.api.kafka.model.topic.KafkaTopic',
  KafkaUser: 'io.strimzi.api.kafka.model.user.KafkaUser',
} as const;

export type StrimziKind = keyof typeof MODEL_CLASSES;

/** The parts of a CustomResourceDefinition that validating a resource needs. */
export interface StrimziCrd {
  spec: {
    group: string;
    names: { kind: string };
    versions: { name: string; served: boolean; schema: { openAPIV3Schema: Record<string, unknown> } }[];
  };
}

/** Strimzi 1.x is compiled for Java 21 (class file version 65). */
const GENERATOR_JAVA = 21;

/** The major version of the JDK at `home`, from its `release` file; 0 if there is none. */
function javaMajor(home: string): number {
  const release = join(home, 'release');
  if (!existsSync(release)) return 0;
  return Number(/^JAVA_VERSION="(\d+)/m.exec(readFileSync(release, 'utf8'))?.[1] ?? 0);
}

/** A `java` recent enough for the generator: JAVA_HOME's, the PATH's, or any JDK under /usr/lib/jvm. */
function generatorJava(): string {
  const pathHome = onPath('java') ? dirname(dirname(realpathSync(run('sh', ['-c', 'command -v java']).trim()))) : undefined;
  const jvms = existsSync('/usr/lib/jvm') ? readdirSync('/usr/lib/jvm').map((name) => join('/usr/lib/jvm', name)) : [];
  const homes = [process.env.JAVA_HOME, pathHome, ...jvms].filter((home): home is string => Boolean(home));
  const home = homes.find((candidate) => javaMajor(candidate) >= GENERATOR_JAVA);
  if (!home)
    throw new Error(
      `Strimzi ${STRIMZI_VERSION}'s CRD generator needs Java ${GENERATOR_JAVA}+; set JAVA_HOME to one (looked at: ${homes.join(', ')})`,
    );
  return join(home, 'bin', 'java');
}

/** Resolves the two jars from Maven Central and runs the generator over the model classes, writing <Kind>.json. */
function generate(dir: string, crds: string, say: (line: string) => void): void {
  ensureDebianPackages(['maven'], () => onPath('mvn'), say);
  const libs = join(dir, 'libs');
  run(
    'mvn',
    [
      '-q',
      '-B',
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-Dstrimzi.version=${STRIMZI_VERSION}`,
      `-DoutputDirectory=${libs}`,
    ],
    {
      cwd: join(REPO_ROOT, 'deploy', 'k8s', 'crd-schemas'),
    },
  );
  // Written aside, then renamed: an interrupted run is never taken for a finished one.
  const partial = `${crds}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const outputs = Object.entries(MODEL_CLASSES).map(([kind, model]) => `${model}=${join(partial, `${kind}.json`)}`);
  // The arguments Strimzi's own build passes when it writes the CRDs of its install files (v1 only, since 1.0).
  const options = [
    '--label',
    'app:strimzi',
    '--label',
    'strimzi.io/crd-install:true',
    '--target-kube',
    '1.16+',
    '--crd-api-version',
    'v1',
    '--api-versions',
    'v1',
    '--storage-version',
    'v1',
  ];
  run(generatorJava(), ['-cp', `${libs}/*`, 'io.strimzi.crdgenerator.CrdGenerator', ...options, ...outputs]);
  renameSync(partial, crds);
}

/**
 * The CustomResourceDefinitions of Strimzi STRIMZI_VERSION, generated once into the cache and reused.
 *
 * Why generated: io.strimzi:api on Maven Central ships no CRD files, and the CRDs its `Crds` class built
 * (through 0.51) carry a placeholder schema that accepts anything. Strimzi makes its real ones with
 * io.strimzi:crd-generator from the same model classes, so running that generator yields the schemas the
 * operator installs, OpenAPI v3 validation included.
 */
export function strimziCrds(
  cacheDir = settingsFromEnv().cacheDir,
  say: (line: string) => void = () => {},
): Record<StrimziKind, StrimziCrd> {
  const dir = join(cacheDir, `strimzi-crds-${STRIMZI_VERSION}`);
  const crds = join(dir, 'crds');
  if (!existsSync(crds)) generate(dir, crds, say);
  const read = (kind: string): StrimziCrd => JSON.parse(readFileSync(join(crds, `${kind}.json`), 'utf8')) as StrimziCrd;
  return Object.fromEntries(Object.keys(MODEL_CLASSES).map((kind) => [kind, read(kind)])) as Record<StrimziKind, StrimziCrd>;
}

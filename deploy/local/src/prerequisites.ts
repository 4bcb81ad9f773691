import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installJaeger } from './components/jaeger';
import { installKafka } from './components/kafka';
import { ensureDebianPackages, installStep, onPath, runAsync } from './install';
import type { StackSettings } from './settings';

export interface Prerequisites {
  postgresBin: string;
  jaegerBinary: string;
  kafkaLibs: string;
}

/** PostgreSQL's server binaries from Debian's package: /usr/lib/postgresql/<newest>/bin. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const version = readdirSync(root).sort((a, b) => Number(b) - Number(a))[0];
  const bin = version && join(root, version, 'bin');
  return bin && existsSync(join(bin, 'postgres')) ? bin : undefined;
}

/**
 * Everything the stack runs that is not in the repository: Debian's PostgreSQL, Redis and JRE (one
 * apt-get), then the Jaeger build (CPU) and Kafka's jars (network) side by side. Each slow step says
 * what it does and how long it took; a missing tool that cannot be installed stops here, saying what to do.
 */
export async function installPrerequisites(s: StackSettings, say: (line: string) => void): Promise<Prerequisites> {
  const debian = [
    { name: 'postgresql', present: () => postgresBinDir() !== undefined },
    { name: 'redis-server', present: () => onPath('redis-server') },
    { name: 'default-jre-headless', present: () => onPath('java') },
  ].filter((p) => !p.present());
  ensureDebianPackages(
    debian.map((p) => p.name),
    () => debian.every((p) => p.present()),
    say,
  );
  const [jaegerBinary, kafkaLibs] = await Promise.all([installJaeger(s, say), installKafka(s, say)]);
  return { postgresBin: postgresBinDir()!, jaegerBinary, kafkaLibs };
}

/** Debian's Chromium, for the console's browser test (playwright-core drives it; it downloads no browser of its own). */
export function installChromium(say: (line: string) => void): string {
  ensureDebianPackages(['chromium'], () => onPath('chromium'), say);
  return '/usr/bin/chromium';
}

export const SCHEMATHESIS_VERSION = '4.32.5';

/**
 * schemathesis from PyPI, in a virtualenv of the cache (reused by every run): the property-based
 * OpenAPI tester the contract and hostile-input tests run. Returns its `st` command.
 */
export async function installSchemathesis(s: StackSettings, say: (line: string) => void): Promise<string> {
  const venv = join(s.cacheDir, `schemathesis-${SCHEMATHESIS_VERSION}`);
  const st = join(venv, 'bin', 'st');
  // Written last: an interrupted install leaves no marker and is redone.
  const complete = join(venv, '.complete');
  if (existsSync(complete)) return st;
  await installStep(
    `schemathesis ${SCHEMATHESIS_VERSION} from PyPI`,
    say,
    async () => {
      rmSync(venv, { recursive: true, force: true });
      await runAsync('python3', ['-m', 'venv', venv]);
      await runAsync(join(venv, 'bin', 'pip'), [
        'install',
        '--quiet',
        '--disable-pip-version-check',
        `schemathesis==${SCHEMATHESIS_VERSION}`,
      ]);
      writeFileSync(complete, '');
    },
    'about 30 s',
  );
  return st;
}

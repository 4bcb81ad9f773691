import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

type RunOptions = { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number };

const failure = (command: string, args: string[], error: unknown): Error => {
  const e = error as { stdout?: string; stderr?: string; message: string };
  return new Error(`${command} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
};

/** Runs a short command; throws with its output if it fails. */
export function run(command: string, args: string[], options: RunOptions = {}): string {
  try {
    return execFileSync(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    throw failure(command, args, error);
  }
}

/** Runs a long command (a build, a download) without blocking the event loop, so installs overlap. */
export async function runAsync(command: string, args: string[], options: RunOptions = {}): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      timeout: options.timeoutMs,
    });
    return stdout;
  } catch (error) {
    throw failure(command, args, error);
  }
}

export function onPath(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Says what a slow install step does (and how long it may take), runs it, then says how long it took. */
export async function installStep<T>(what: string, say: (line: string) => void, step: () => Promise<T>, expected = ''): Promise<T> {
  const started = Date.now();
  say(`${what}${expected && ` (${expected})`}…`);
  const result = await step();
  say(`  done: ${what} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  return result;
}

let aptUpdated = false;

/** Installs Debian packages when `present()` says they are missing (as root, or through sudo). */
export function ensureDebianPackages(packages: string[], present: () => boolean, say: (line: string) => void): void {
  if (present()) return;
  const root = process.getuid?.() === 0;
  if (!root && !onPath('sudo')) {
    throw new Error(`${packages.join(', ')} missing and not root: install them with apt-get install ${packages.join(' ')}`);
  }
  const [cmd, prefix] = root ? ['apt-get', []] : ['sudo', ['apt-get']];
  // RUNLEVEL=1: the packages' init scripts must not start system-wide daemons on our ports.
  const env = { DEBIAN_FRONTEND: 'noninteractive', RUNLEVEL: '1' };
  const started = Date.now();
  say(`installing Debian packages: ${packages.join(' ')}…`);
  if (!aptUpdated) run(cmd, [...prefix, 'update', '-qq'], { env });
  aptUpdated = true;
  run(cmd, [...prefix, 'install', '-y', '-qq', '--no-install-recommends', ...packages], { env });
  if (!present()) throw new Error(`installed ${packages.join(' ')} but still cannot find it`);
  say(`  done: Debian packages ${packages.join(' ')} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

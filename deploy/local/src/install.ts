import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
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

// RUNLEVEL=1: the packages' init scripts must not start system-wide daemons on our ports.
const APT_ENV = { DEBIAN_FRONTEND: 'noninteractive', RUNLEVEL: '1' };

let aptUpdated = false;

/** Fetches the package index once per process: a fresh machine has none, and one fetch serves every install. */
function aptUpdateOnce(cmd: string, prefix: string[]): void {
  if (!aptUpdated) run(cmd, [...prefix, 'update', '-qq'], { env: APT_ENV });
  aptUpdated = true;
}

/** Installs Debian packages when `present()` says they are missing (as root, or through sudo). */
export function ensureDebianPackages(packages: string[], present: () => boolean, say: (line: string) => void): void {
  if (present()) return;
  const root = process.getuid?.() === 0;
  if (!root && !onPath('sudo')) {
    throw new Error(`${packages.join(', ')} missing and not root: install them with apt-get install ${packages.join(' ')}`);
  }
  const [cmd, prefix] = root ? ['apt-get', []] : ['sudo', ['apt-get']];
  const started = Date.now();
  say(`installing Debian packages: ${packages.join(' ')}…`);
  aptUpdateOnce(cmd, prefix);
  run(cmd, [...prefix, 'install', '-y', '-qq', '--no-install-recommends', ...packages], { env: APT_ENV });
  if (!present()) throw new Error(`installed ${packages.join(' ')} but still cannot find it`);
  say(`  done: Debian packages ${packages.join(' ')} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

/**
 * Downloads a Debian package and unpacks it into `dir`: not installed, so nothing runs or is configured
 * system-wide, and no root is needed once the package index exists (only root may fetch that index).
 */
export function unpackDebianPackage(name: string, dir: string): void {
  mkdirSync(dir, { recursive: true });
  const download = () => run('apt-get', ['download', '-qq', name], { cwd: dir });
  try {
    download();
  } catch (error) {
    if (process.getuid?.() !== 0) throw error;
    aptUpdateOnce('apt-get', []);
    download();
  }
  const deb = readdirSync(dir).find((file) => file.startsWith(`${name}_`) && file.endsWith('.deb'));
  if (!deb) throw new Error(`apt-get download ${name} left no package in ${dir}`);
  run('dpkg-deb', ['-x', join(dir, deb), dir]);
  rmSync(join(dir, deb));
}

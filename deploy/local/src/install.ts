import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Runs a command, echoing what it does; throws with its output if it fails. */
export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  try {
    return execFileSync(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
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
  say(`installing Debian packages: ${packages.join(' ')}`);
  if (!aptUpdated) run(cmd, [...prefix, 'update', '-qq'], { env });
  aptUpdated = true;
  run(cmd, [...prefix, 'install', '-y', '-qq', '--no-install-recommends', ...packages], { env });
  if (!present()) throw new Error(`installed ${packages.join(' ')} but still cannot find it`);
}

export const fileExists = existsSync;
